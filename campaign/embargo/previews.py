"""Journalists' personal preview links to an embargoed release before its lift.

`preview_url_for(recipient)` is what the distribution email calls for each copy; the link is
made on first use, so a distribution of a release without an embargo makes none.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.distribution.models import Recipient
from campaign.embargo.models import PreviewLink, PreviewOpen
from campaign.embargo.services import embargo_pending
from campaign.extensions import db
from campaign.site.services import organization
from campaign.statements.models import Statement

PREVIEW_PATH = "/preview/"


class PreviewUnavailable(LookupError):
    """No such link, or it was revoked."""


def preview_url_for(recipient: Recipient | int) -> str:
    """The recipient's personal preview URL, or "" when the release is not under embargo."""
    found = db.session.get(Recipient, recipient) if isinstance(recipient, int) else recipient
    if found is None:
        return ""
    link = _link_for(found)
    return organization().public_base_url + PREVIEW_PATH + link.token if link else ""


def _link_for(recipient: Recipient) -> PreviewLink | None:
    existing = db.session.scalar(select(PreviewLink).filter_by(recipient_id=recipient.id))
    if existing is not None:
        return existing
    from campaign.distribution.models import Distribution

    distribution = db.session.get(Distribution, recipient.distribution_id)
    if distribution is None or not embargo_pending(distribution.version):
        return None
    link = PreviewLink(
        token=secrets.token_urlsafe(32),
        statement_id=distribution.statement_id,
        version_id=distribution.version_id,
        recipient_id=recipient.id,
        email=recipient.email,
        name=recipient.name,
    )
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:  # made by a concurrent composer: use that one
        return db.session.scalar(select(PreviewLink).filter_by(recipient_id=recipient.id))
    db.session.commit()
    return link


def open_link(token: str, what: str) -> PreviewLink:
    """The live link for `token`; logs the opening while the embargo holds."""
    link = db.session.scalar(select(PreviewLink).filter_by(token=token))
    if link is None or link.revoked_at is not None:
        raise PreviewUnavailable(token)
    if embargo_pending(link.version):
        db.session.add(PreviewOpen(link_id=link.id, what=what))
        db.session.commit()
    return link


def revoke(link_id: int, actor: User) -> PreviewLink:
    """Stop a link from working (a journalist who broke an embargo, a wrong address)."""
    link = db.session.get(PreviewLink, link_id)
    if link is None:
        raise PreviewUnavailable(str(link_id))
    if link.revoked_at is None:
        link.revoked_at = clock.now()
        link.revoked_by_id = actor.id
        record(actor, "embargo.preview_revoked", link, {"email": link.email})
        db.session.commit()
    return link


def links_for(statement: Statement) -> list[tuple[PreviewLink, int, object]]:
    """The statement's links with their number of openings and the last one, newest first."""
    opens = (
        select(
            PreviewOpen.link_id,
            func.count(PreviewOpen.id).label("n"),
            func.max(PreviewOpen.opened_at).label("last"),
        )
        .group_by(PreviewOpen.link_id)
        .subquery()
    )
    rows = db.session.execute(
        select(PreviewLink, opens.c.n, opens.c.last)
        .outerjoin(opens, opens.c.link_id == PreviewLink.id)
        .where(PreviewLink.statement_id == statement.id)
        .order_by(PreviewLink.id.desc())
    )
    return [(link, n or 0, last) for link, n, last in rows]


def openings(link: PreviewLink) -> list[PreviewOpen]:
    return list(
        db.session.scalars(
            select(PreviewOpen).filter_by(link_id=link.id).order_by(PreviewOpen.id.desc())
        )
    )
