"""Which events notify whom: connected to the signals the features send after committing."""

from __future__ import annotations

from typing import Any

from campaign.auth.models import User
from campaign.distribution.engine import finished
from campaign.distribution.models import Distribution
from campaign.notify.events import Event
from campaign.notify.services import approvers, authors, notify
from campaign.review.models import ReviewComment, ReviewInvitee
from campaign.review.services import comment_added
from campaign.statements.models import Statement
from campaign.statements.workflow import Action, transitioned


def _on_transition(statement: Statement, action: Action, actor: User, note: str, **_: Any) -> None:
    title = statement.head.title
    link: dict[str, Any] = {"endpoint": "statements.show", "statement_id": statement.id}
    if action is Action.SUBMIT:
        text = f"“{title}” waits for your review (submitted by {actor.name})."
        notify(approvers(excluding=actor), Event.SUBMITTED, text, **link)
    elif action is Action.APPROVE:
        text = f"“{title}” was approved by {actor.name}."
        notify(authors(statement, excluding=actor), Event.APPROVED, text, **link)
    elif action is Action.REQUEST_CHANGES:
        text = f"{actor.name} requested changes on “{title}”: {note.strip()}"
        notify(authors(statement, excluding=actor), Event.CHANGES_REQUESTED, text[:600], **link)
    elif action is Action.PUBLISH:
        text = f"“{title}” was published by {actor.name}."
        notify(authors(statement, excluding=actor), Event.PUBLISHED, text, **link)


def _on_comment(comment: ReviewComment, invitee: ReviewInvitee, **_: Any) -> None:
    statement = invitee.link.version.statement
    text = f"{invitee.name or invitee.email} commented on “{statement.head.title}”."
    link: dict[str, Any] = {"endpoint": "statements.show", "statement_id": statement.id}
    notify(authors(statement), Event.COMMENT_ADDED, text, **link)


def _on_distribution(dist: Distribution, counts: dict[str, int], **_: Any) -> None:
    """The honest outcome: every status with a count, failures and unconfirmed included."""
    outcome = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if n) or "none"
    text = f"Distribution of “{dist.statement.head.title}” finished: {outcome}."
    link: dict[str, Any] = {"endpoint": "distribution.show", "distribution_id": dist.id}
    notify([dist.created_by] if dist.created_by else [], Event.DISTRIBUTION_FINISHED, text, **link)


def connect() -> None:
    """Subscribe once per process (blinker keeps one receiver per function)."""
    transitioned.connect(_on_transition)
    comment_added.connect(_on_comment)
    finished.connect(_on_distribution)
