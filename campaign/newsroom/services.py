"""What the newsroom lists: public items only, decided in SQL so 1,000 items stay cheap.

"Public" is the same rule as `embargo.services.public_version`, expressed as a WHERE clause:
a published, unretracted statement whose published version is not under an embargo now.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, load_only

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.embargo.services import embargo_open_clause
from campaign.extensions import db
from campaign.newsroom.models import FeaturedItem
from campaign.pagination import Page, paginate
from campaign.signon.listing import listed_statuses
from campaign.signon.models import Signature, SignOnSettings
from campaign.statements.models import Statement, StatementVersion

PER_PAGE = 20
MAX_FEATURED = 3
SEARCH_MAX = 100


def _public(now: datetime) -> Select[Statement]:
    return (
        select(Statement)
        .join(StatementVersion, StatementVersion.id == Statement.published_version_id)
        .where(Statement.retracted_at.is_(None), embargo_open_clause(now))
    )


def _with_version(query: Select[Statement]) -> Select[Statement]:
    fields = (
        StatementVersion.title,
        StatementVersion.subtitle,
        StatementVersion.number,
        StatementVersion.release_type,
        StatementVersion.embargo_until,
        StatementVersion.embargo_timezone,
    )
    return query.options(
        contains_eager(Statement.published_version).load_only(*fields),
        load_only(Statement.slug, Statement.kind, Statement.published_at),
    )


def _search(query: Select[Statement], text: str) -> Select[Statement]:
    words = text.strip()[:SEARCH_MAX].split()
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                StatementVersion.title.ilike(pattern, escape="\\"),
                StatementVersion.subtitle.ilike(pattern, escape="\\"),
                StatementVersion.body.ilike(pattern, escape="\\"),
            )
        )
    return query


def latest(page: int = 1, search: str = "", per_page: int = PER_PAGE) -> Page[Statement]:
    """Public items newest first, optionally matching every word of `search`."""
    query = _search(_public(clock.now()), search) if search.strip() else _public(clock.now())
    ordered = _with_version(query).order_by(Statement.published_at.desc(), Statement.id.desc())
    return paginate(ordered, page, per_page)


def featured() -> list[Statement]:
    """Pinned items that are public now, most recently pinned first."""
    query = _public(clock.now()).join(FeaturedItem, FeaturedItem.statement_id == Statement.id)
    return list(
        db.session.scalars(
            _with_version(query).order_by(FeaturedItem.created_at.desc()).limit(MAX_FEATURED)
        )
    )


def open_letters() -> list[tuple[Statement, int]]:
    """Public letters taking signatures now, with their publicly listed count."""
    now = clock.now()
    query = (
        _public(now)
        .join(SignOnSettings, SignOnSettings.statement_id == Statement.id)
        .where(
            SignOnSettings.open.is_(True),
            or_(SignOnSettings.deadline.is_(None), SignOnSettings.deadline > now),
        )
    )
    letters = list(db.session.scalars(_with_version(query).order_by(Statement.id.desc())))
    return [(letter, _listed_count(letter.id)) for letter in letters]


def _listed_count(statement_id: int) -> int:
    settings = db.session.get(SignOnSettings, statement_id)
    statuses = listed_statuses(bool(settings and settings.requires_approval))
    return (
        db.session.scalar(
            select(func.count(Signature.id)).where(
                Signature.statement_id == statement_id, Signature.status.in_(statuses)
            )
        )
        or 0
    )


def is_featured(statement: Statement) -> bool:
    return db.session.get(FeaturedItem, statement.id) is not None


def set_featured(statement: Statement, actor: User, on: bool) -> None:
    """Pin or unpin a statement; pinning an item that is not public yet is allowed (it shows
    from its publication on), so a release can be prepared for the lift."""
    row = db.session.get(FeaturedItem, statement.id)
    if on and row is None:
        db.session.add(FeaturedItem(statement_id=statement.id, featured_by_id=actor.id))
    elif not on and row is not None:
        db.session.delete(row)
    else:
        return
    record(actor, "newsroom.featured" if on else "newsroom.unfeatured", statement, {})
    db.session.commit()


def sitemap_entries() -> list[tuple[str, datetime | None]]:
    """(slug, last change) of every public item, for sitemap.xml."""
    rows = db.session.execute(
        _public(clock.now())
        .with_only_columns(Statement.slug, Statement.published_at)
        .order_by(Statement.published_at.desc())
    )
    return [(slug, published_at) for slug, published_at in rows]
