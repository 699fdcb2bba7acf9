"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

from campaign.audit.models import AuditEvent
from campaign.extensions import db


def record(
    actor: Any,
    action: str,
    subject: Any,
    details: dict[str, Any] | None = None,
    *,
    actor_label: str | None = None,
) -> None:
    """Add an audit event to the current transaction.

    The caller commits, so the event is stored if and only if the change it describes is.
    `actor` is a User, or None for the system and for public visitors (then `actor_label`
    says who, for example the confirming email address).
    """
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            actor_label=actor_label or getattr(actor, "email", None) or "system",
            action=action,
            subject_type=type(subject).__name__,
            subject_id=getattr(subject, "id", None),
            details=details or {},
        )
    )
