"""The statement workflow: draft -> in review -> approved -> published -> retracted.

Each action is one entry in TRANSITIONS and goes through `perform`, which checks the
permission, the starting status and the rule that nobody approves their own words, then
writes the audit record in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Permission
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.statements.models import Statement, StatementVersion, Status


class Action(LabeledEnum):
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"
    RETRACT = "retract"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status
    permission: Permission


TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition(frozenset({Status.DRAFT}), Status.IN_REVIEW, Permission.EDIT),
    Action.REQUEST_CHANGES: Transition(
        frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.DRAFT, Permission.APPROVE
    ),
    Action.APPROVE: Transition(frozenset({Status.IN_REVIEW}), Status.APPROVED, Permission.APPROVE),
    Action.PUBLISH: Transition(frozenset({Status.APPROVED}), Status.PUBLISHED, Permission.PUBLISH),
    Action.RETRACT: Transition(frozenset(Status), Status.RETRACTED, Permission.RETRACT),
}


class WorkflowError(Exception):
    """A user-facing reason why a transition is not allowed."""


def refusal(statement: Statement, action: Action, actor: User) -> str | None:
    """Why `actor` may not perform `action` now, or None if they may."""
    transition = TRANSITIONS[action]
    if not actor.can(transition.permission):
        return f"Your role ({actor.role.label.lower()}) cannot {action.label.lower()}."
    if statement.status not in transition.sources:
        status = statement.status.label.lower()
        return f"“{action.label}” is not possible while the statement is {status}."
    if action is Action.RETRACT and statement.published_version_id is None:
        return "Only a published statement can be retracted."
    if action is Action.APPROVE and actor.id in authors_since_approval(statement):
        return (
            "You wrote part of this text since it was last approved, so you cannot approve "
            "it; ask another approver."
        )
    return None


def authors_since_approval(statement: Statement) -> set[int]:
    """Whose words the head holds that no approver has seen: the four-eyes rule's input.

    Every version after the last approved one counts, not only the last save; a restored
    version counts as written by whoever wrote the text it restores, not the restorer.
    """
    rows = db.session.execute(
        select(StatementVersion.number, StatementVersion.author_id, StatementVersion.restored_from)
        .where(StatementVersion.statement_id == statement.id)
        .order_by(StatementVersion.number)
    ).all()
    author_of: dict[int, int | None] = {}
    for number, author_id, restored_from in rows:
        author_of[number] = author_of.get(restored_from, author_id) if restored_from else author_id
    since = statement.approved_number or 0
    return {
        author
        for number, author in author_of.items()
        if since < number <= statement.head_number and author
    }


def available_actions(statement: Statement, actor: User) -> list[Action]:
    """The actions `actor` could perform on `statement` right now (for buttons)."""
    return [action for action in Action if refusal(statement, action, actor) is None]


def perform(
    statement: Statement,
    action: Action,
    actor: User,
    seen_number: int,
    note: str = "",
    change: str | None = None,
) -> None:
    """Apply `action` or raise WorkflowError; commits together with its audit record.

    `seen_number` is the version the actor was looking at: approving or publishing words
    that changed after the page was loaded is refused rather than silently applied.
    `change` ("minor" or "material") says what publishing does to existing signatures.
    """
    reason = refusal(statement, action, actor)
    if reason is None and seen_number != statement.head_number:
        reason = _stale(statement, seen_number)
    if reason:
        raise WorkflowError(reason)
    before = statement.status
    _apply(statement, action, seen_number)
    if action is Action.PUBLISH:
        _carry_signatures(statement, change, actor)
    record(
        actor,
        f"statement.{action.value}",
        statement,
        {
            "from": before.value,
            "to": statement.status.value,
            "version": statement.head_number,
            "note": note,
        },
    )
    db.session.commit()


def _stale(statement: Statement, seen_number: int) -> str:
    return (
        f"Version {statement.head_number} was saved after you loaded version "
        f"{seen_number}; review it first."
    )


def _changes(statement: Statement, action: Action, seen_number: int) -> dict[str, object]:
    now = clock.now()
    values: dict[str, object] = {"status": TRANSITIONS[action].target, "updated_at": now}
    if action is Action.APPROVE:
        values["approved_number"] = seen_number
    elif action is Action.PUBLISH:
        seen = select(StatementVersion.id).filter_by(statement_id=statement.id, number=seen_number)
        values |= {"published_version_id": seen.scalar_subquery(), "published_at": now}
        values["retracted_at"] = None
    elif action is Action.RETRACT:
        values |= {"published_version_id": None, "retracted_at": now}
    return values


def _apply(statement: Statement, action: Action, seen_number: int) -> None:
    """One conditional UPDATE: it changes the row only if the head is still the version the
    actor saw and the status still allows the action, so a save that lands between the page
    load and the click makes the approval fail instead of approving the newer text."""
    changed = db.session.execute(
        update(Statement)
        .where(
            Statement.id == statement.id,
            Statement.head_number == seen_number,
            Statement.status.in_(TRANSITIONS[action].sources),
        )
        .values(**_changes(statement, action, seen_number))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(statement)
        raise WorkflowError(_stale(statement, seen_number))
    db.session.refresh(statement)


def _carry_signatures(statement: Statement, change: str | None, actor: User) -> None:
    """Sign-on decides what a new public text means for signatures (campaign/signon)."""
    from campaign.signon.versions import ChoiceNeeded, apply_on_publish

    try:
        apply_on_publish(statement, change, actor)
    except ChoiceNeeded as error:
        raise WorkflowError(str(error)) from error
