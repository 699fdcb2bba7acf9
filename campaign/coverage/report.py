"""The campaign impact report's figures, gathered once for the page, the PDF and the CSV.

Everything here is plain data (press.impact typesets it without knowing the database).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from campaign.campaigns.models import Campaign
from campaign.coverage import services
from campaign.coverage.index import published_versions
from campaign.coverage.matching import tokenize
from campaign.coverage.models import CoverageItem, CoverageStatus
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from campaign.signon.models import Signature, SignatureStatus
from press.impact import (
    DistributionRow,
    ImpactReport,
    QuotedPassage,
    SignatoryCurve,
    StatementRow,
)

COUNTED_SIGNATURES = (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED)
TOP_PASSAGES = 10


def _statements(campaign: Campaign) -> list[StatementRow]:
    published: dict[int, list[int]] = {}
    for version, _current in published_versions(campaign.id):
        published.setdefault(version.statement_id, []).append(version.number)
    return [
        StatementRow(
            title=statement.head.title,
            kind=statement.kind.label,
            status=statement.status.label,
            versions=statement.head_number,
            published_versions=published.get(statement.id, []),
            published_on=statement.published_at.date() if statement.published_at else None,
        )
        for statement in campaign.statements
    ]


def _signatory_curves(campaign: Campaign) -> list[SignatoryCurve]:
    curves = []
    for statement in campaign.statements:
        days = db.session.scalars(
            select(Signature.confirmed_at).where(
                Signature.statement_id == statement.id,
                Signature.status.in_(COUNTED_SIGNATURES),
                Signature.confirmed_at.is_not(None),
            )
        ).all()
        if not days:
            continue
        per_day = Counter(moment.date() for moment in days if moment is not None)
        # The curve starts at zero the day before the first confirmation.
        total, points = 0, [(min(per_day) - timedelta(days=1), 0)]
        for day in sorted(per_day):
            total += per_day[day]
            points.append((day, total))
        curves.append(SignatoryCurve(statement.head.title, points))
    return curves


def _distributions(campaign: Campaign) -> list[DistributionRow]:
    statement_ids = [s.id for s in campaign.statements]
    dists = db.session.scalars(
        select(Distribution)
        .where(Distribution.statement_id.in_(statement_ids))
        .order_by(Distribution.created_at)
    ).all()
    rows = []
    for dist in dists:
        counts = dict(
            db.session.execute(
                select(Recipient.status, func.count())
                .where(Recipient.distribution_id == dist.id)
                .group_by(Recipient.status)
            ).all()
        )
        bounced = db.session.scalar(
            select(func.count())
            .select_from(Suppression)
            .where(Suppression.distribution_id == dist.id)
        )
        rows.append(
            DistributionRow(
                subject=dist.subject,
                version=dist.version.number,
                created_on=dist.created_at.date(),
                sent=counts.get(RecipientStatus.SENT, 0)
                + counts.get(RecipientStatus.UNCONFIRMED, 0),
                failed=counts.get(RecipientStatus.FAILED, 0),
                bounced=bounced or 0,
            )
        )
    return rows


def _quoted_most(items: list[CoverageItem]) -> list[QuotedPassage]:
    counts: Counter[str] = Counter()
    shown: dict[str, tuple[str, int]] = {}
    for item in items:
        per_item = {" ".join(tokenize(m.version_passage).words): m for m in item.matches}
        for key, found in per_item.items():
            counts[key] += 1
            shown.setdefault(key, (found.version_passage, found.version.number))
    return [
        QuotedPassage(text=shown[key][0], version=shown[key][1], articles=count)
        for key, count in counts.most_common(TOP_PASSAGES)
    ]


def impact_report(campaign: Campaign, generated_on: date) -> ImpactReport:
    """Every figure of the report for one campaign."""
    items = services.items_of(campaign.id, CoverageStatus.CONFIRMED)
    return ImpactReport(
        campaign=campaign.name,
        generated_on=generated_on,
        statements=_statements(campaign),
        signatories=_signatory_curves(campaign),
        distributions=_distributions(campaign),
        by_outlet=Counter(i.outlet or "Unknown outlet" for i in items).most_common(),
        by_date=sorted(Counter(i.published_on for i in items if i.published_on).items()),
        by_region=Counter(i.region or "Unknown region" for i in items).most_common(),
        quoted_most=_quoted_most(items),
        coverage=[
            (i.published_on, i.outlet, i.headline or i.url, i.author, len(i.matches)) for i in items
        ],
        candidates_waiting=len(services.items_of(campaign.id, CoverageStatus.CANDIDATE)),
    )
