"""Creating, opening and revoking review links; adding and resolving partner comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from blinker import Namespace
from flask import current_app, render_template
from sqlalchemy import select, update

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.mail.services import dispatch, queue_mail
from campaign.review.models import ReviewComment, ReviewInvitee, ReviewLink
from campaign.review.paragraphs import blocks
from campaign.rowcount import rowcount
from campaign.statements.models import Statement, StatementVersion, Status
from campaign.tokens import TokenExpired, TokenInvalid, address_digest, make_token, read_token
from campaign.urls import external_url

TOKEN_PURPOSE = "review"
REVIEWABLE = frozenset({Status.DRAFT, Status.IN_REVIEW})
NOT_VALID = "This review link is not valid. Check that it was copied whole."


class ReviewError(ValueError):
    """A user-facing reason why a review action was refused."""


class LinkRefused(Exception):
    """A review link that does not open; `str()` is the message shown to the partner.

    `status` is 404 for a token this server never made and 410 for a link that was valid.
    """

    def __init__(self, message: str, status: int = 410) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Partner:
    name: str
    email: str


def _check_reviewable(statement: Statement, version: StatementVersion) -> None:
    if statement.status not in REVIEWABLE:
        raise ReviewError(
            f"Only a draft can be sent for partner review; this statement is "
            f"{statement.status.label.lower()}. Edit it to start a new draft."
        )
    if version.number != statement.head_number:
        raise ReviewError(
            f"Version {version.number} is not the current draft (version "
            f"{statement.head_number} is); send the current one."
        )


def create_link(
    statement: Statement,
    version: StatementVersion,
    staff: User,
    partners: list[Partner],
    days: int,
    message: str = "",
) -> ReviewLink:
    """Store a link for `version`, invite each partner by email, and enqueue the emails."""
    _check_reviewable(statement, version)
    if not partners:
        raise ReviewError("Name at least one partner contact to send the link to.")
    link = ReviewLink(
        statement_id=statement.id,
        version_id=version.id,
        message=message.strip(),
        created_by_id=staff.id,
        expires_at=clock.now() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    mails = [_invite(link, version, staff, partner) for partner in partners]
    record(
        staff,
        "review.link_created",
        link,
        {"version": version.number, "partners": [p.email for p in partners], "days": days},
    )
    db.session.commit()
    for mail in mails:
        dispatch(mail)
    return link


def _invite(
    link: ReviewLink, version: StatementVersion, staff: User, partner: Partner
) -> OutgoingMail:
    invitee = ReviewInvitee(link_id=link.id, name=partner.name, email=partner.email)
    db.session.add(invitee)
    db.session.flush()
    text = render_template(
        "review/invitation.txt",
        invitee=invitee,
        link=link,
        version=version,
        staff=staff,
        url=invitation_url(invitee),
    )
    mail = queue_mail(
        partner.email,
        f"Please review the draft: {version.title}",
        text,
        purpose="review.invitation",
        reply_to=staff.email,
    )
    db.session.flush()
    invitee.mail_id = mail.id
    return mail


def invitation_url(invitee: ReviewInvitee) -> str:
    """The personal link for `invitee`; whether it still opens is decided by the database."""
    data = {"i": invitee.id, "e": address_digest(invitee.email)}
    return external_url("review_public.draft", token=make_token(TOKEN_PURPOSE, data))


def open_invitation(token: str) -> ReviewInvitee:
    """The invitee a token belongs to, or LinkRefused with the reason for the partner."""
    try:
        data = read_token(TOKEN_PURPOSE, token)
    except (TokenInvalid, TokenExpired) as error:
        raise LinkRefused(NOT_VALID, 404) from error
    invitee_id = data.get("i") if isinstance(data, dict) else None
    invitee = db.session.get(ReviewInvitee, invitee_id) if isinstance(invitee_id, int) else None
    if invitee is None or address_digest(invitee.email) != data.get("e"):
        raise LinkRefused(NOT_VALID, 404)
    reason = invitee.link.refusal()
    if reason:
        raise LinkRefused(reason)
    return invitee


# Sent after a partner's comment is committed (notifications listen).
comment_added = Namespace().signal("review-comment-added")


def add_comment(invitee: ReviewInvitee, paragraph: int, body: str) -> ReviewComment:
    """Store a partner's comment on paragraph `paragraph` (0: the whole draft)."""
    text = body.strip()
    limit = current_app.config["REVIEW_COMMENT_MAX_CHARS"]
    if not text:
        raise ReviewError("Write a comment before sending it.")
    if len(text) > limit:
        raise ReviewError(f"A comment can be at most {limit:,} characters.")
    version = invitee.link.version
    numbered = {block.number: block for block in blocks(version.body)}
    if paragraph != 0 and paragraph not in numbered:
        raise ReviewError("That paragraph is not in this draft.")
    comment = ReviewComment(
        version_id=version.id,
        link_id=invitee.link_id,
        invitee_id=invitee.id,
        paragraph=paragraph,
        excerpt=numbered[paragraph].excerpt if paragraph else "",
        body=text,
    )
    db.session.add(comment)
    db.session.flush()
    record(
        None,
        "review.commented",
        comment,
        {"version_id": version.id, "paragraph": paragraph},
        actor_label=invitee.email,
    )
    db.session.commit()
    comment_added.send(comment, invitee=invitee)
    return comment


def _set_once(
    model: type[ReviewLink] | type[ReviewComment],
    row_id: int,
    unset_column: str,
    values: dict[str, object],
) -> bool:
    """Set `values` on a row only if `unset_column` is still NULL; True if this call did it.

    One conditional UPDATE, so two staff pressing the same button record one action.
    """
    column = getattr(model, unset_column)
    changed = db.session.execute(
        update(model)
        .where(model.id == row_id, column.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(changed) == 1


def revoke_link(link: ReviewLink, staff: User) -> bool:
    """Withdraw a link for every invitee; False if it was already withdrawn."""
    done = _set_once(
        ReviewLink, link.id, "revoked_at", {"revoked_at": clock.now(), "revoked_by_id": staff.id}
    )
    if done:
        record(staff, "review.link_revoked", link, {"version_id": link.version_id})
    db.session.commit()
    db.session.refresh(link)
    return done


def resolve_comment(comment: ReviewComment, staff: User) -> bool:
    """Mark a comment as dealt with; False if someone already had."""
    done = _set_once(
        ReviewComment,
        comment.id,
        "resolved_at",
        {"resolved_at": clock.now(), "resolved_by_id": staff.id},
    )
    if done:
        record(staff, "review.comment_resolved", comment, {"version_id": comment.version_id})
    db.session.commit()
    db.session.refresh(comment)
    return done


def comments_on(
    version: StatementVersion, invitee: ReviewInvitee | None = None
) -> list[ReviewComment]:
    """Comments on `version` in reading order; only `invitee`'s own when one is given."""
    query = select(ReviewComment).where(ReviewComment.version_id == version.id)
    if invitee is not None:
        query = query.where(ReviewComment.invitee_id == invitee.id)
    return list(
        db.session.scalars(query.order_by(ReviewComment.paragraph, ReviewComment.created_at))
    )


def links_for(version: StatementVersion) -> list[ReviewLink]:
    """The review links of `version`, newest first."""
    return list(
        db.session.scalars(
            select(ReviewLink)
            .where(ReviewLink.version_id == version.id)
            .order_by(ReviewLink.id.desc())
        )
    )


@dataclass(frozen=True)
class ReviewSummary:
    """Unresolved comments per version number, and those on the newest version."""

    open_counts: dict[int, int]
    open_on_head: list[ReviewComment]


def review_summary(statement: Statement) -> ReviewSummary:
    """What the statement page shows of partner review, in two queries."""
    open_comments = db.session.execute(
        select(StatementVersion.number, ReviewComment)
        .join(ReviewComment, ReviewComment.version_id == StatementVersion.id)
        .where(StatementVersion.statement_id == statement.id, ReviewComment.resolved_at.is_(None))
        .order_by(ReviewComment.paragraph, ReviewComment.created_at)
    ).all()
    counts = Counter(number for number, _ in open_comments)
    return ReviewSummary(
        dict(sorted(counts.items(), reverse=True)),
        [comment for number, comment in open_comments if number == statement.head_number],
    )
