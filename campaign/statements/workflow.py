"""The statement workflow: draft -> in review -> approved -> published -> retracted.

Each action is one entry in TRANSITIONS and goes through `perform`, which checks the
permission, the starting status and the rule that nobody approves their own words, then
writes the audit record in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace
from sqlalchemy import select, update

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Permission
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.rowcount import rowcount
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


# Sent after a transition is committed, with action, actor and note: features react to it
# (notifications) without the workflow knowing them.
transitioned = Namespace().signal("statement-transitioned")


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
    if action is Action.PUBLISH and _scheduled(statement):
        return "A publication at the embargo lift is already scheduled; change or cancel it."
    return None


def _scheduled(statement: Statement) -> bool:
    from campaign.embargo.services import scheduled_for

    return scheduled_for(statement) is not None


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
    embargo: str | None = None,
    reason: str = "",
) -> None:
    """Apply `action` or raise WorkflowError; commits together with its audit record.

    `seen_number` is the version the actor was looking at: approving or publishing words
    that changed after the page was loaded is refused rather than silently applied.
    `change` ("minor" or "material") says what publishing does to existing signatures.
    Publishing a version whose embargo has not lifted needs `embargo`: "at_lift" schedules
    the publication for the lift, "lift_now" publishes now and audits `reason`.
    """
    reason_refused = refusal(statement, action, actor)
    if reason_refused is None and seen_number != statement.head_number:
        reason_refused = _stale(statement, seen_number)
    if reason_refused is None and action is Action.REQUEST_CHANGES and not note.strip():
        reason_refused = "Say what needs to change: a reason is required to request changes."
    if reason_refused:
        raise WorkflowError(reason_refused)
    if action is Action.PUBLISH and _publish_embargoed(
        statement, actor, note, change, embargo, reason
    ):
        return
    before = statement.status
    _apply(statement, action, seen_number)
    if action is Action.PUBLISH:
        _carry_signatures(statement, change, actor)
    elif action is Action.RETRACT:
        _cancel_scheduled(statement)
    _record(actor, action, statement, before, statement.head_number, note)
    db.session.commit()
    if action is Action.PUBLISH:
        _sign_list(statement)
    transitioned.send(statement, action=action, actor=actor, note=note)


def _sign_list(statement: Statement) -> None:
    """A publication of a signed letter is attested at once (campaign/attest), not only
    when someone next looks at it."""
    from campaign.attest.services import current_root

    current_root(statement)


def _record(
    actor: User | None, action: Action, statement: Statement, before: Status, number: int, note: str
) -> None:
    details = {"from": before.value, "to": statement.status.value, "version": number, "note": note}
    record(actor, f"statement.{action.value}", statement, details)


def _cancel_scheduled(statement: Statement) -> None:
    """A retracted statement must not go public again at a scheduled embargo lift."""
    from campaign.embargo.services import cancel_quietly

    cancel_quietly(statement)


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
    if rowcount(changed) != 1:
        db.session.rollback()
        db.session.refresh(statement)
        raise WorkflowError(_stale(statement, seen_number))
    db.session.refresh(statement)


def _publish_embargoed(
    statement: Statement,
    actor: User,
    note: str,
    change: str | None,
    embargo: str | None,
    reason: str,
) -> bool:
    """Hand an embargoed publication to the embargo rules; False if the head is not held."""
    from campaign.embargo import services as embargo_rules

    if not embargo_rules.embargo_pending(statement.head):
        return False
    try:
        if embargo == "at_lift":
            embargo_rules.schedule_at_lift(statement, actor, note, change)
        elif embargo == "lift_now":
            embargo_rules.lift_now(statement, actor, reason, note, change)
        else:
            raise WorkflowError(
                "This release is embargoed: choose “publish at the embargo lift” or "
                "“lift the embargo now”."
            )
    except embargo_rules.EmbargoError as error:
        db.session.rollback()
        raise WorkflowError(str(error)) from error
    return True


def publish_version(
    statement: Statement,
    version: StatementVersion,
    actor: User | None,
    note: str,
    change: str | None,
    at: datetime,
) -> None:
    """Make `version` the public text as of `at` (the caller commits).

    A version older than the head (a newer draft was saved after an approved publication was
    scheduled) goes public without touching the head's own status or its signatures.
    """
    before = statement.status
    if version.number == statement.head_number:
        _carry_signatures(statement, change, actor)
        statement.status = Status.PUBLISHED
    statement.published_version_id = version.id
    statement.published_at = at
    statement.retracted_at = None
    statement.updated_at = clock.now()
    _record(actor, Action.PUBLISH, statement, before, version.number, note)


def check_signature_choice(statement: Statement, change: str | None) -> None:
    """Refuse up front a publication that will need a minor/material choice it lacks."""
    from campaign.signon.versions import SignatureChange, signatures_behind

    if signatures_behind(statement) and change not in {c.value for c in SignatureChange}:
        raise WorkflowError(
            "Signatures were given for an earlier version: choose whether this is a minor "
            "edit or a material change."
        )


def last_request_for_changes(statement: Statement) -> AuditEvent | None:
    """The newest "request changes" on `statement`, if it is still a draft since then."""
    if statement.status is not Status.DRAFT:
        return None
    event = db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "Statement",
            AuditEvent.subject_id == statement.id,
            AuditEvent.action.like("statement.%"),
            AuditEvent.action != "statement.revised",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return event if event is not None and event.action == "statement.request_changes" else None


def workflow_events(statement: Statement) -> list[AuditEvent]:
    """Every transition of `statement` with its note, newest first, for the history page."""
    actions = [f"statement.{action.value}" for action in Action]
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == "Statement",
                AuditEvent.subject_id == statement.id,
                AuditEvent.action.in_(actions),
            )
            .order_by(AuditEvent.id.desc())
        )
    )


def _carry_signatures(statement: Statement, change: str | None, actor: User | None) -> None:
    """Sign-on decides what a new public text means for signatures (campaign/signon)."""
    from campaign.signon.versions import ChoiceNeeded, apply_on_publish

    try:
        apply_on_publish(statement, change, actor)
    except ChoiceNeeded as error:
        raise WorkflowError(str(error)) from error
