"""The public signatory list: who may be shown, in which order and groups, and as CSV.

This is the one definition of "listed" that the public page, the PDF and deliveries share,
so a signatory that did not confirm (or was not approved, when approval is required) can
never appear in any of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from campaign.csvsafe import csv_text
from campaign.extensions import db
from campaign.signon.models import (
    Grouping,
    OrgType,
    Scope,
    Signature,
    SignatureStatus,
    SignOnSettings,
)
from campaign.signon.names import sort_key
from campaign.signon.questions import public_labels
from campaign.statements.models import StatementVersion

OTHER_GROUP = "Other"


@dataclass(frozen=True)
class ListedSignatory:
    id: int
    name: str
    org_type: str
    org_type_label: str
    city: str
    region: str
    country: str
    website: str
    signed_version_number: int
    has_logo: bool
    scope: str = ""
    scope_label: str = ""
    individual: bool = False
    title: str = ""
    affiliation: str = ""
    answers: tuple[tuple[str, str], ...] = ()  # to the statement's public questions

    @property
    def place(self) -> str:
        """ "City, Region" (whichever is known), else the country; a person's title and
        affiliation (for identification only)."""
        if self.individual:
            return ", ".join(part for part in (self.title, self.affiliation) if part)
        return ", ".join(part for part in (self.city, self.region) if part) or self.country


def split_signers(
    signatories: Sequence[ListedSignatory],
) -> tuple[list[ListedSignatory], list[ListedSignatory]]:
    """(organizations, individuals): the two are listed and counted separately."""
    return [s for s in signatories if not s.individual], [s for s in signatories if s.individual]


def listed_statuses(requires_approval: bool) -> frozenset[SignatureStatus]:
    """Statuses shown publicly: confirmed ones, or only approved ones when approval is on."""
    if requires_approval:
        return frozenset({SignatureStatus.APPROVED})
    return frozenset({SignatureStatus.CONFIRMED, SignatureStatus.APPROVED})


def requires_approval(statement_id: int) -> bool:
    settings = db.session.get(SignOnSettings, statement_id)
    return bool(settings and settings.requires_approval)


def list_is_public(statement_id: int) -> bool:
    """False while fewer than the minimum count are listed: then no name or logo is shown."""
    settings = db.session.get(SignOnSettings, statement_id)
    minimum = settings.min_count_to_show if settings else 0
    if not minimum:
        return True
    statuses = listed_statuses(bool(settings and settings.requires_approval))
    listed = db.session.scalars(
        select(func.count(Signature.id)).where(
            Signature.statement_id == statement_id, Signature.status.in_(statuses)
        )
    ).one()
    return listed >= minimum


def listed_signatories(statement_id: int) -> list[ListedSignatory]:
    """Exactly the signatories that may be shown publicly, alphabetically."""
    statuses = listed_statuses(requires_approval(statement_id))
    rows = db.session.execute(
        select(Signature, StatementVersion.number)
        .join(StatementVersion, StatementVersion.id == Signature.signed_version_id)
        .where(Signature.statement_id == statement_id, Signature.status.in_(statuses))
    ).all()
    labels = public_labels(statement_id)
    listed = [_listed(signature, number, labels) for signature, number in rows]
    return sorted(listed, key=lambda s: (sort_key(s.name), s.id))


def signatory_logo(signatory: ListedSignatory) -> tuple[str, bytes] | None:
    """(MIME type, bytes) of a listed signatory's logo, for renderers such as press/."""
    if not signatory.has_logo:
        return None
    row = db.session.execute(
        select(Signature.logo_mime, Signature.logo).where(Signature.id == signatory.id)
    ).one_or_none()
    return (row.logo_mime, row.logo) if row and row.logo else None


def _listed(
    signature: Signature, version_number: int, labels: Sequence[str] = ()
) -> ListedSignatory:
    answers = signature.answers or {}
    return ListedSignatory(
        id=signature.id,
        name=signature.shown_name,
        org_type=signature.org_type.value,
        org_type_label=signature.org_type.label,
        city=signature.city,
        region=signature.region,
        country=signature.country,
        website=signature.website,
        signed_version_number=version_number,
        has_logo=signature.has_logo,
        scope=signature.scope.value,
        scope_label=signature.scope.label,
        individual=signature.individual,
        title=signature.title or "",
        affiliation=signature.affiliation or "",
        answers=tuple((label, answers[label]) for label in labels if answers.get(label)),
    )


def _group_label(signatory: ListedSignatory, grouping: Grouping) -> str:
    if grouping is Grouping.SCOPE:
        return signatory.scope_label or OTHER_GROUP
    if grouping is Grouping.ORG_TYPE:
        return signatory.org_type_label or OTHER_GROUP
    if grouping is Grouping.COUNTRY:
        return signatory.country or OTHER_GROUP
    return signatory.region or OTHER_GROUP


def _group_order(grouping: Grouping, labels: Iterable[str]) -> list[str]:
    """Enum groups in their natural order, free-text groups alphabetically; "Other" last."""
    present = set(labels)
    if grouping is Grouping.SCOPE:
        fixed = [scope.label for scope in Scope]
    elif grouping is Grouping.ORG_TYPE:
        fixed = [org_type.label for org_type in OrgType]
    else:
        fixed = sorted(present - {OTHER_GROUP}, key=sort_key)
    return [label for label in [*fixed, OTHER_GROUP] if label in present]


def grouped(
    signatories: Sequence[ListedSignatory], grouping: Grouping | str
) -> list[tuple[str, list[ListedSignatory]]]:
    """Signatories in labelled groups, keeping their order inside each group.

    With no grouping the result is one group labelled "" holding everyone (or no group at
    all when the list is empty), so callers can always loop over groups.
    """
    grouping = Grouping(grouping)
    if grouping is Grouping.NONE:
        return [("", list(signatories))] if signatories else []
    groups: dict[str, list[ListedSignatory]] = {}
    for signatory in signatories:
        groups.setdefault(_group_label(signatory, grouping), []).append(signatory)
    return [(label, groups[label]) for label in _group_order(grouping, groups)]


CSV_HEADER = (
    "Organization",
    "Type",
    "Scope",
    "City",
    "State/region",
    "Country",
    "Website",
    "Signed version",
    "Signed as",
    "Title",
    "Affiliation (for identification only)",
)


def signatories_csv(signatories: Iterable[ListedSignatory]) -> bytes:
    """The public list as UTF-8 CSV, with cells neutralized against formula injection.

    Answers to public questions follow, one column per question."""
    signatories = list(signatories)
    labels = list(dict.fromkeys(label for s in signatories for label, _ in s.answers))
    rows = (
        (
            s.name,
            s.org_type_label,
            s.scope_label,
            s.city,
            s.region,
            s.country,
            s.website,
            s.signed_version_number,
            "individual" if s.individual else "organization",
            s.title,
            s.affiliation,
            *(dict(s.answers).get(label, "") for label in labels),
        )
        for s in signatories
    )
    return csv_text((*CSV_HEADER, *labels), rows).encode("utf-8")
