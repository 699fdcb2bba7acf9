"""Finding organizations in the directory: the filters of the directory page and of
recruitment ("everyone who signed letters A or B, state and local, in Texas")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, or_, select

from campaign.contacts.tags import has_tags, normalize_tag
from campaign.directory.models import OrgAlias, Organization
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope, Signature, SignatureStatus
from campaign.signon.names import normalize_name

SIGNED = (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED)


@dataclass(frozen=True)
class DirectoryFilter:
    """What the directory page's filter form (and a recruitment filter) asks for."""

    q: str = ""
    org_type: str = ""
    scope: str = ""
    region: str = ""
    tag: str = ""
    signed: tuple[int, ...] = field(default_factory=tuple)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> DirectoryFilter:
        """From a request's query string; unknown types and scopes are ignored, not errors."""
        get = args.get
        getlist: Callable[[str], list[str]] = getattr(args, "getlist", lambda name: [])
        signed = tuple(sorted({int(v) for v in getlist("signed") if str(v).isdigit()}))
        org_type = get("org_type", "") or ""
        scope = get("scope", "") or ""
        return cls(
            q=(get("q", "") or "").strip()[:200],
            org_type=org_type if org_type in {t.value for t in OrgType} else "",
            scope=scope if scope in {s.value for s in Scope} else "",
            region=(get("region", "") or "").strip()[:120],
            tag=normalize_tag(get("tag", "") or ""),
            signed=signed,
        )

    def as_args(self) -> dict[str, object]:
        """Back to query-string arguments (for pager and export links)."""
        args: dict[str, object] = {
            k: v
            for k, v in (
                ("q", self.q),
                ("org_type", self.org_type),
                ("scope", self.scope),
                ("region", self.region),
                ("tag", self.tag),
            )
            if v
        }
        if self.signed:
            args["signed"] = list(self.signed)
        return args


def _name_matches(q: str) -> ColumnElement[bool]:
    key = normalize_name(q)
    pattern = f"%{key}%"
    aliased = select(OrgAlias.organization_id).where(OrgAlias.normalized_name.like(pattern))
    return or_(
        Organization.normalized_name.like(pattern),
        Organization.id.in_(aliased),
        func.lower(Organization.email_domain) == q.lower(),
    )


def search(filters: DirectoryFilter) -> Select[Organization]:
    """Active (not merged-away) organizations matching every filter given, by name."""
    query = select(Organization).where(Organization.merged_into_id.is_(None))
    if filters.q and normalize_name(filters.q):
        query = query.where(_name_matches(filters.q))
    if filters.org_type:
        query = query.where(Organization.org_type == OrgType(filters.org_type))
    if filters.scope:
        query = query.where(Organization.scope == Scope(filters.scope))
    if filters.region:
        query = query.where(func.lower(Organization.region) == filters.region.lower())
    if filters.tag:
        query = query.where(has_tags(Organization.tags_text, [filters.tag]))
    if filters.signed:
        signers = select(Signature.organization_id).where(
            Signature.statement_id.in_(filters.signed), Signature.status.in_(SIGNED)
        )
        query = query.where(Organization.id.in_(signers))
    return query.order_by(Organization.normalized_name, Organization.id)


def regions() -> list[str]:
    """Regions present in the directory, for the filter's choices."""
    rows = db.session.scalars(
        select(Organization.region)
        .where(Organization.region != "", Organization.merged_into_id.is_(None))
        .distinct()
    )
    return sorted(set(rows), key=str.casefold)


def signed_counts(organization_ids: list[int]) -> dict[int, int]:
    """How many statements each of these organizations signed (confirmed or approved)."""
    rows = db.session.execute(
        select(Signature.organization_id, func.count(func.distinct(Signature.statement_id)))
        .where(Signature.organization_id.in_(organization_ids), Signature.status.in_(SIGNED))
        .group_by(Signature.organization_id)
    ).all()
    return {org_id: count for org_id, count in rows if org_id is not None}
