"""The life of a coverage item: added (by URL, by hand, by CSV, by a feed), read and matched,
then confirmed or dismissed by staff, and perhaps shown in the newsroom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.coverage import attribution
from campaign.coverage.extract import Article, article_from, excerpt_of
from campaign.coverage.index import campaign_index, statement_titles
from campaign.coverage.matching import Tokens, VersionIndex, phrase_in, tokenize
from campaign.coverage.models import CoverageItem, CoverageMatch, CoverageSource, CoverageStatus
from campaign.extensions import db
from campaign.jobs import enqueue, requeue_rows_left_in
from campaign.netfetch import FetchError, check_url, fetch_with_app_limits
from campaign.pagination import Page, paginate
from campaign.signon.models import Signature, SignatureStatus
from campaign.statements.models import Statement

FETCH_TASK = "coverage.fetch_item"
NAMED_STATUSES = (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED)


class CoverageError(ValueError):
    """A request that cannot be honoured; the message is shown to staff as is."""


@dataclass(frozen=True)
class ItemFields:
    """What staff can type or correct about an item."""

    url: str
    outlet: str = ""
    headline: str = ""
    author: str = ""
    published_on: date | None = None
    excerpt: str = ""
    language: str = ""
    region: str = ""


def checked_url(url: str) -> str:
    """The URL stripped, or CoverageError if it is not http(s) with a host."""
    try:
        check_url(url)
    except FetchError as error:
        raise CoverageError(str(error)) from error
    return url.strip()


def _refuse_duplicate(campaign_id: int, url: str, item: CoverageItem | None = None) -> None:
    existing = db.session.scalar(
        select(CoverageItem.id).where(
            CoverageItem.campaign_id == campaign_id, CoverageItem.url == url
        )
    )
    if existing is not None and (item is None or existing != item.id):
        raise CoverageError("This article is already recorded for the campaign.")


def add_by_url(campaign: Campaign, url: str, actor: User | None) -> tuple[CoverageItem, bool]:
    """Record the URL and queue a worker to read it; False when the queue is unreachable."""
    url = checked_url(url)
    _refuse_duplicate(campaign.id, url)
    item = CoverageItem(
        campaign_id=campaign.id,
        url=url,
        status=CoverageStatus.FETCHING,
        source=CoverageSource.URL,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(item)
    record(actor, "coverage.add", item, {"url": url, "source": "url"})
    db.session.commit()
    return item, enqueue(FETCH_TASK, item.id)


def fetch_item(item_id: int) -> bool:
    """Worker: read the item's page and match it. Safe twice: only a `fetching` item is read."""
    item = db.session.get(CoverageItem, item_id)
    if item is None or item.status is not CoverageStatus.FETCHING:
        return False
    try:
        article = article_from(fetch_with_app_limits(item.url))
    except FetchError as error:
        item.status, item.error = CoverageStatus.FAILED, str(error)[:500]
        db.session.commit()
        return False
    fill_from_article(item, article)
    apply_matches(item, article.text)
    item.status, item.error = CoverageStatus.CANDIDATE, ""
    db.session.commit()
    return True


def fill_from_article(item: CoverageItem, article: Article) -> None:
    """Copy what extraction found; staff correct it on the review page."""
    item.headline = article.headline
    item.author = article.author
    item.outlet = item.outlet or article.outlet
    item.published_on = article.published_on
    item.language = article.language
    item.text = article.text
    item.excerpt = article.excerpt


def named_organizations(campaign_id: int, tokens: Tokens) -> list[str]:
    """Confirmed signatories of the campaign's statements that the text names."""
    names = db.session.scalars(
        select(Signature.organization)
        .join(Statement, Statement.id == Signature.statement_id)
        .where(Statement.campaign_id == campaign_id, Signature.status.in_(NAMED_STATUSES))
        .distinct()
    )
    return sorted(name for name in names if phrase_in(name, tokens))


def apply_matches(item: CoverageItem, text: str, index: VersionIndex | None = None) -> None:
    """Store the passages of `text` found in published versions, and who and what it names."""
    tokens = tokenize(text)
    index = index or campaign_index(item.campaign_id)
    item.matches = [
        CoverageMatch(
            version_id=f.version_id,
            start=f.start,
            end=f.end,
            passage=f.passage,
            version_passage=f.version_passage,
            words=f.words,
            superseded=f.superseded,
            changed=f.changed,
        )
        for f in index.find(tokens)
    ]
    item.names_statement = any(phrase_in(t, tokens) for t in statement_titles(item.campaign_id))
    item.named_orgs = named_organizations(item.campaign_id, tokens)


def is_candidate(item: CoverageItem) -> bool:
    """An article quoting a published version or naming a statement deserves a look."""
    return bool(item.matches) or item.names_statement


def _apply_fields(item: CoverageItem, fields: ItemFields) -> None:
    url = checked_url(fields.url)
    _refuse_duplicate(item.campaign_id, url, item)
    item.url = url
    for name in ("outlet", "headline", "author", "published_on", "language", "region"):
        setattr(item, name, getattr(fields, name))
    item.excerpt = fields.excerpt or excerpt_of(item.text or "")


def confirm(item: CoverageItem, fields: ItemFields, actor: User | None) -> None:
    """Staff say this is coverage of the campaign; link it to the journalist who wrote it."""
    if item.status is CoverageStatus.FETCHING:
        raise CoverageError("The page is still being read; try again in a moment.")
    _apply_fields(item, fields)
    item.status = CoverageStatus.CONFIRMED
    item.confirmed_at = clock.now()
    attribution.attribute(item)
    record(actor, "coverage.confirm", item, {"url": item.url})
    db.session.commit()


def dismiss(item: CoverageItem, actor: User | None) -> None:
    """Not coverage of this campaign: kept (so a feed does not bring it back) but hidden."""
    item.status = CoverageStatus.DISMISSED
    item.is_public = False
    record(actor, "coverage.dismiss", item, {"url": item.url})
    db.session.commit()


def set_public(item: CoverageItem, public: bool, actor: User | None) -> None:
    """Show or hide a confirmed item in the public newsroom's "In the news"."""
    if public and item.status is not CoverageStatus.CONFIRMED:
        raise CoverageError("Only confirmed coverage can be shown in the newsroom.")
    item.is_public = public
    record(actor, "coverage.public" if public else "coverage.private", item, {"url": item.url})
    db.session.commit()


def add_manual(
    campaign: Campaign, fields: ItemFields, text: str, actor: User | None, **extra: Any
) -> CoverageItem:
    """An item typed by staff (a print clip, a broadcast): confirmed at once, still matched."""
    url = checked_url(fields.url)
    _refuse_duplicate(campaign.id, url)
    item = CoverageItem(
        campaign_id=campaign.id,
        url=url,
        text=text,
        source=extra.pop("source", CoverageSource.MANUAL),
        created_by_id=actor.id if actor else None,
        **extra,
    )
    db.session.add(item)
    _apply_fields(item, fields)
    # Offsets of the passages point into `item.text`; without a text, the excerpt is it.
    item.text = text or fields.excerpt
    apply_matches(item, item.text)
    item.status = CoverageStatus.CONFIRMED
    item.confirmed_at = clock.now()
    attribution.attribute(item)
    record(actor, "coverage.add", item, {"url": url, "source": item.source.value})
    db.session.commit()
    return item


def _items_query(campaign_id: int, *statuses: CoverageStatus) -> Select[CoverageItem]:
    query = select(CoverageItem).where(CoverageItem.campaign_id == campaign_id)
    if statuses:
        query = query.where(CoverageItem.status.in_(statuses))
    return query.order_by(CoverageItem.published_on.desc().nulls_last(), CoverageItem.id.desc())


def items_of(campaign_id: int, status: CoverageStatus | None = None) -> list[CoverageItem]:
    """The campaign's items, newest publication first."""
    statuses = () if status is None else (status,)
    return list(db.session.scalars(_items_query(campaign_id, *statuses)))


def items_page(
    campaign_id: int, statuses: tuple[CoverageStatus, ...], page: int
) -> Page[CoverageItem]:
    """One page of the campaign's items in `statuses`, newest publication first."""
    return paginate(_items_query(campaign_id, *statuses), page)


def public_coverage_items(limit: int = 10) -> list[CoverageItem]:
    """Confirmed items staff marked public, newest first: the newsroom's "In the news"."""
    return list(
        db.session.scalars(
            select(CoverageItem)
            .where(CoverageItem.status == CoverageStatus.CONFIRMED, CoverageItem.is_public)
            .order_by(CoverageItem.published_on.desc().nulls_last(), CoverageItem.id.desc())
            .limit(limit)
        )
    )


def requeue_stale_fetches() -> int:
    """Queue again the reading of items whose task was lost (broker down, worker gone)."""
    return requeue_rows_left_in(
        CoverageItem, CoverageStatus.FETCHING, FETCH_TASK, timedelta(minutes=5)
    )
