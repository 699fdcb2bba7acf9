"""Staff work on signatures: the filtered table, approval, rejection, name corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import SQLColumnExpression, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.csvsafe import csv_text
from campaign.extensions import db
from campaign.pagination import Page, paginate
from campaign.signon.importing import COLUMNS as IMPORT_COLUMNS
from campaign.signon.models import Grouping, Signature, SignatureStatus, Signers, SignOnSettings
from campaign.signon.questions import questions_for
from campaign.statements.models import Statement, StatementVersion

SORTS: dict[str, SQLColumnExpression[Any]] = {
    "organization": Signature.normalized_name,
    "status": Signature.status,
    "type": Signature.org_type,
    "city": func.lower(Signature.city),
    "country": func.lower(Signature.country),
    "signed": Signature.created_at,
}
PAGE_SIZE = 50


class ModerationError(ValueError):
    """A user-facing reason why a staff action was refused."""


@dataclass(frozen=True)
class TableQuery:
    """What the staff table shows; built from the query string, with safe defaults."""

    status: SignatureStatus | None = None
    search: str = ""
    sort: str = "organization"
    descending: bool = False
    flagged: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args: dict[str, str]) -> TableQuery:
        status = args.get("status") or ""
        sort = args.get("sort") or "organization"
        page = args.get("page") or "1"
        return cls(
            status=SignatureStatus(status) if status in set(SignatureStatus) else None,
            search=(args.get("q") or "").strip()[:200],
            sort=sort if sort in SORTS else "organization",
            descending=args.get("dir") == "desc",
            flagged=args.get("flagged") == "1",
            page=min(max(1, int(page)), 100_000) if page.isdigit() and len(page) < 10 else 1,
        )

    def as_args(self) -> dict[str, str]:
        """The filters and sort as query-string arguments (for the pager's links)."""
        args = {
            "status": self.status.value if self.status else "",
            "q": self.search,
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "flagged": "1" if self.flagged else "",
        }
        return {key: value for key, value in args.items() if value}


def _filters(statement_id: int, query: TableQuery) -> list[ColumnElement]:
    filters: list[ColumnElement] = [Signature.statement_id == statement_id]
    if query.status is not None:
        filters.append(Signature.status == query.status)
    if query.flagged:
        filters.append(Signature.duplicate_attempts > 0)
    if query.search:
        pattern = f"%{query.search.lower()}%"
        filters.append(
            or_(
                *(
                    func.lower(column).like(pattern)
                    for column in (
                        Signature.organization,
                        Signature.display_name,
                        Signature.contact_name,
                        Signature.contact_email,
                        Signature.city,
                        Signature.region,
                        Signature.country,
                    )
                )
            )
        )
    return filters


def signature_table(statement_id: int, query: TableQuery) -> Page[Signature]:
    """One page of matching signatures, and how many match in all."""
    column = SORTS[query.sort]
    order = column.desc() if query.descending else column.asc()
    matching = select(Signature).where(*_filters(statement_id, query))
    return paginate(matching.order_by(order, Signature.id), query.page, PAGE_SIZE)


def matching_ids(statement_id: int, query: TableQuery) -> list[int]:
    """Every signature the table's filters match, on all pages (for "select all matching")."""
    return list(db.session.scalars(select(Signature.id).where(*_filters(statement_id, query))))


def status_counts(statement_id: int) -> dict[SignatureStatus, int]:
    rows = db.session.execute(
        select(Signature.status, func.count())
        .where(Signature.statement_id == statement_id)
        .group_by(Signature.status)
    ).all()
    counts = dict.fromkeys(SignatureStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


DECISIONS = {
    "approve": (SignatureStatus.APPROVED, {SignatureStatus.CONFIRMED, SignatureStatus.REJECTED}),
    "reject": (
        SignatureStatus.REJECTED,
        {SignatureStatus.PENDING, SignatureStatus.CONFIRMED, SignatureStatus.APPROVED},
    ),
}


def decide(statement_id: int, ids: list[int], decision: str, actor: User) -> tuple[int, int]:
    """Approve or reject the chosen signatures; returns (changed, skipped).

    Only a signer who confirmed can be approved (a rejected one too, if they had confirmed):
    approval never lists an organization that did not confirm by email.
    """
    if decision not in DECISIONS:
        raise ModerationError("Choose approve or reject.")
    target, sources = DECISIONS[decision]
    chosen = db.session.scalars(
        select(Signature).where(Signature.statement_id == statement_id, Signature.id.in_(ids))
    ).all()
    changed = 0
    for signature in chosen:
        if signature.status not in sources or (
            target is SignatureStatus.APPROVED and signature.confirmed_at is None
        ):
            continue
        before, signature.status, signature.decided_at = signature.status, target, clock.now()
        record(actor, f"signature.{target.value}", signature, {"from": before.value})
        changed += 1
    db.session.commit()
    return changed, len(ids) - changed


def rename(signature: Signature, display_name: str, actor: User) -> None:
    """Correct how a signer's name is shown (typos); the original entry is kept."""
    display_name = display_name.strip()
    if display_name == signature.organization:
        display_name = ""
    before = signature.shown_name
    signature.display_name = display_name
    record(
        actor,
        "signature.renamed",
        signature,
        {"from": before, "to": signature.shown_name, "organization": signature.organization},
    )
    db.session.commit()


def clear_flag(signature: Signature, actor: User) -> None:
    signature.flag, signature.duplicate_attempts = "", 0
    record(actor, "signature.flag_cleared", signature)
    db.session.commit()


STAFF_CSV_HEADER = (
    "id",
    *IMPORT_COLUMNS,  # an export can be imported again into another statement
    "display_name",
    "status",
    "signed_version",
    "created_at",
    "confirmed_at",
    "withdrawn_at",
    "imported",
    "duplicate_attempts",
    "signed_as",
    "title",
    "affiliation",
    "why_we_sign",
    "why_we_sign_shown",
    "paper",
    "referral",
)


def staff_csv(statement_id: int) -> str:
    """Every signature with contact details and status (staff only), formula-safe."""
    rows = db.session.execute(
        select(Signature, StatementVersion.number)
        .join(StatementVersion, StatementVersion.id == Signature.signed_version_id)
        .where(Signature.statement_id == statement_id)
        .order_by(Signature.normalized_name)
    ).all()
    labels = [q.label for q in questions_for(statement_id)]
    labels += [k for s, _ in rows for k in (s.answers or {}) if k not in labels]
    labels = list(dict.fromkeys(labels))
    body = ((*_staff_row(s, number), *_answers(s, labels)) for s, number in rows)
    return csv_text((*STAFF_CSV_HEADER, *labels), body)


def _answers(s: Signature, labels: list[str]) -> list[str]:
    answers = s.answers or {}
    return [answers.get(label, "") for label in labels]


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _staff_row(s: Signature, number: int) -> tuple[object, ...]:
    return (
        s.id,
        s.organization,
        s.org_type.value,
        s.scope.value,
        s.city,
        s.region,
        s.country,
        s.website,
        s.contact_name,
        s.contact_email,
        s.display_name,
        s.status.value,
        number,
        _iso(s.created_at),
        _iso(s.confirmed_at),
        _iso(s.withdrawn_at),
        "yes" if s.imported_by_id else "",
        s.duplicate_attempts,
        s.kind.value if s.kind else "organization",
        s.title,
        s.affiliation,
        s.comment,
        "yes" if s.comment_approved_at else "",
        "yes" if s.paper else "",
        s.referral_code,
    )


@dataclass(frozen=True)
class SettingsChange:
    open: bool
    requires_approval: bool
    grouping: Grouping
    deadline_local: datetime | None = None
    timezone: str = "UTC"
    goal: int | None = None
    min_count_to_show: int = 0
    signers: Signers = Signers.ORGANIZATIONS


def save_settings(statement: Statement, change: SettingsChange, actor: User) -> SignOnSettings:
    """Open, close or reconfigure sign-on for a statement (audited)."""
    settings = db.session.get(SignOnSettings, statement.id) or SignOnSettings(
        statement_id=statement.id
    )
    deadline = None
    if change.deadline_local is not None:
        deadline = change.deadline_local.replace(tzinfo=ZoneInfo(change.timezone))
    settings.open, settings.requires_approval = change.open, change.requires_approval
    settings.grouping, settings.deadline = change.grouping, deadline
    settings.deadline_timezone = change.timezone
    settings.goal, settings.min_count_to_show = change.goal, change.min_count_to_show
    settings.signers = change.signers
    settings.updated_at = clock.now()
    db.session.add(settings)
    record(
        actor,
        "signon.settings",
        statement,
        {
            "open": change.open,
            "requires_approval": change.requires_approval,
            "deadline": deadline.isoformat() if deadline else None,
            "grouping": change.grouping.value,
            "goal": change.goal,
            "min_count_to_show": change.min_count_to_show,
            "signers": change.signers.value,
        },
    )
    db.session.commit()
    return settings
