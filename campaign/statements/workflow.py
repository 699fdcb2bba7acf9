"""The statement workflow: draft -> in review -> approved -> published -> retracted.

Each action is one entry in TRANSITIONS and goes through `perform`, which checks the
permission, the starting status and the rule that nobody approves their own words, then
writes the audit record in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace
from sqlalchemy import select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Permission
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.statements.models import Statement, Status


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
    if action is Action.APPROVE and statement.head.author_id == actor.id:
        return "The last author of a version cannot approve it; ask another approver."
    return None


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
        reason = (
            f"Version {statement.head_number} was saved after you loaded version "
            f"{seen_number}; review it first."
        )
    if reason is None and action is Action.REQUEST_CHANGES and not note.strip():
        reason = "Say what needs to change: a reason is required to request changes."
    if reason:
        raise WorkflowError(reason)
    if action is Action.PUBLISH:
        _carry_signatures(statement, change, actor)
    before = statement.status
    statement.status = TRANSITIONS[action].target
    statement.updated_at = clock.now()
    if action is Action.PUBLISH:
        statement.published_version_id = statement.head.id
        statement.published_at = clock.now()
        statement.retracted_at = None
    elif action is Action.RETRACT:
        statement.published_version_id = None
        statement.retracted_at = clock.now()
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
    transitioned.send(statement, action=action, actor=actor, note=note)


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


def _carry_signatures(statement: Statement, change: str | None, actor: User) -> None:
    """Sign-on decides what a new public text means for signatures (campaign/signon)."""
    from campaign.signon.versions import ChoiceNeeded, apply_on_publish

    try:
        apply_on_publish(statement, change, actor)
    except ChoiceNeeded as error:
        raise WorkflowError(str(error)) from error
