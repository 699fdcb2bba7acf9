"""Which versions of a campaign's statements the press could have seen, and their index.

A version counts as published if it is the one public now, if the audit log shows it was
published once (a superseded version), or if a distribution sent it to journalists.
"""

from __future__ import annotations

from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.coverage.matching import IndexedVersion, VersionIndex, tokenize
from campaign.distribution.models import Distribution
from campaign.extensions import db
from campaign.statements.models import Statement, StatementVersion


def version_text(version: StatementVersion) -> str:
    """The words a journalist could quote: title, subtitle, addressee, body, closing."""
    parts = (version.title, version.subtitle, version.addressee, version.body, version.closing)
    return "\n\n".join(part for part in parts if part)


def published_versions(campaign_id: int) -> list[tuple[StatementVersion, bool]]:
    """Every version of the campaign that left the building, with whether it is public now."""
    statements = db.session.scalars(
        select(Statement).where(Statement.campaign_id == campaign_id)
    ).all()
    current = {s.published_version_id for s in statements if s.published_version_id}
    ids = {s.id for s in statements}
    if not ids:
        return []
    published_numbers = {
        (event.subject_id, (event.details or {}).get("version"))
        for event in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "statement.publish",
                AuditEvent.subject_type == "Statement",
                AuditEvent.subject_id.in_(ids),
            )
        )
    }
    sent = set(
        db.session.scalars(
            select(Distribution.version_id).where(Distribution.statement_id.in_(ids))
        )
    )
    versions = db.session.scalars(
        select(StatementVersion)
        .where(StatementVersion.statement_id.in_(ids))
        .order_by(StatementVersion.statement_id, StatementVersion.number)
    ).all()
    return [
        (v, v.id in current)
        for v in versions
        if v.id in current or v.id in sent or (v.statement_id, v.number) in published_numbers
    ]


def campaign_index(campaign_id: int) -> VersionIndex:
    """The shingle index of the campaign's published versions."""
    index = VersionIndex()
    for version, current in published_versions(campaign_id):
        index.add(
            IndexedVersion(
                version.id,
                version.statement_id,
                version.number,
                current,
                tokenize(version_text(version)),
            )
        )
    return index


def statement_titles(campaign_id: int) -> list[str]:
    """Titles of the campaign's published statements; an article naming one is a candidate."""
    return [
        version.title
        for version, current in published_versions(campaign_id)
        if current and len(version.title.split()) >= 3
    ]
