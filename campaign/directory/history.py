"""An organization's life across statements: asked, signed, declined, withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from campaign.directory.models import Invitation, Organization
from campaign.extensions import db
from campaign.signon.models import Signature
from campaign.statements.models import Statement, StatementVersion


@dataclass(frozen=True)
class HistoryRow:
    statement: Statement
    what: str
    when: datetime
    version: int | None
    signature: Signature | None = None
    invitation: Invitation | None = None


def _signature_rows(organization: Organization) -> list[HistoryRow]:
    rows = db.session.execute(
        select(Signature, Statement, StatementVersion.number)
        .join(Statement, Statement.id == Signature.statement_id)
        .join(StatementVersion, StatementVersion.id == Signature.signed_version_id)
        .where(Signature.organization_id == organization.id)
    ).all()
    return [
        HistoryRow(
            statement=statement,
            what=signature.status.label,
            when=signature.withdrawn_at or signature.confirmed_at or signature.created_at,
            version=number,
            signature=signature,
        )
        for signature, statement, number in rows
    ]


def _invitation_rows(organization: Organization) -> list[HistoryRow]:
    rows = db.session.execute(
        select(Invitation, Statement)
        .join(Statement, Statement.id == Invitation.statement_id)
        .where(Invitation.organization_id == organization.id)
    ).all()
    return [
        HistoryRow(
            statement=statement,
            what=f"Asked ({invitation.status.label.lower()})",
            when=invitation.answered_at or invitation.invited_at,
            version=None,
            invitation=invitation,
        )
        for invitation, statement in rows
    ]


def history(organization: Organization) -> list[HistoryRow]:
    """Every statement the organization was asked to sign or signed, newest first."""
    rows = _signature_rows(organization) + _invitation_rows(organization)
    return sorted(rows, key=lambda row: row.when, reverse=True)
