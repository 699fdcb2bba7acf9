""" "Why we sign" comments: public only after staff approve them, and only while the
signature itself is listed (a withdrawn signer's words come down with their name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from campaign import clock
from campaign.audit.services import record
from campaign.extensions import db
from campaign.pagination import Page, paginate
from campaign.signon.listing import listed_statuses, requires_approval
from campaign.signon.models import Signature
from campaign.statements.models import Statement


@dataclass(frozen=True)
class PublicComment:
    name: str
    comment: str


def comments_for_review(statement: Statement, page: int = 1) -> Page[Signature]:
    """One page of the statement's signatures with a comment, newest first."""
    return paginate(
        select(Signature)
        .where(Signature.statement_id == statement.id, Signature.comment != "")
        .order_by(Signature.id.desc()),
        page,
    )


def set_approval(signature: Signature, approved: bool, actor: Any) -> None:
    """Show (approved) or hide a signer's comment; audited."""
    signature.comment_approved_at = clock.now() if approved else None
    action = "signature.comment_approved" if approved else "signature.comment_hidden"
    record(actor, action, signature, {"organization": signature.organization})
    db.session.commit()


def approved_comments(statement: Statement) -> list[PublicComment]:
    """The comments the public page shows: approved, of listed signatures."""
    statuses = listed_statuses(requires_approval(statement.id))
    rows = db.session.scalars(
        select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.status.in_(statuses),
            Signature.comment_approved_at.is_not(None),
            Signature.comment != "",
        )
        .order_by(Signature.comment_approved_at)
    )
    return [PublicComment(s.shown_name, s.comment) for s in rows]
