"""Every signature belongs to an organization record: finding or making it.

The rules are the sign-on page's duplicate rules, applied across letters: the same
normalized name (or a known alias) is the same organization, and so is the same contact
email. A session hook links each new signature before it is written, so the public form,
the CSV import, the demo and any future path get the same record without remembering to.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session
from sqlalchemy import and_, case, event, or_, select

from campaign.directory.models import OrgAlias, Organization, OrgContact
from campaign.extensions import db
from campaign.signon.models import Signature, SignerKind

# Addresses at these domains say nothing about which organization a person works for.
WEBMAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
    }
)


def email_domain(email: str) -> str:
    """The organization's own mail domain from a contact address; "" for webmail."""
    domain = email.strip().lower().rpartition("@")[2]
    return "" if domain in WEBMAIL else domain


def active(organization: Organization) -> Organization:
    """Follow merges to the record that absorbed `organization` (itself if none did)."""
    seen = set()
    while organization.merged_into_id is not None and organization.id not in seen:
        seen.add(organization.id)
        organization = db.session.get_one(Organization, organization.merged_into_id)
    return organization


class Pending:
    """Where the signatures of one flush belong, looked up in bulk.

    An import of 20,000 rows is one flush: the records their names and addresses point to
    are read with a few IN queries up front (`preload`), and records made earlier in the
    same flush are found in the same dictionaries, instead of three queries a row.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, Organization] = {}
        self.by_alias: dict[str, Organization] = {}
        self.by_email: dict[str, Organization] = {}

    def preload(self, keys: set[str], emails: set[str]) -> None:
        for chunk in _chunks(sorted(keys)):
            rows = db.session.scalars(
                select(Organization)
                .where(Organization.normalized_name.in_(chunk))
                .order_by(Organization.merged_into_id.is_not(None), Organization.id)
            )
            for organization in rows:
                self.by_key.setdefault(organization.normalized_name, organization)
            aliases = db.session.execute(
                select(OrgAlias.normalized_name, Organization)
                .join(Organization)
                .where(OrgAlias.normalized_name.in_(chunk))
                .order_by(Organization.id)
            )
            for key, organization in aliases:
                self.by_alias.setdefault(key, organization)
        for chunk in _chunks(sorted(emails)):
            contacts = db.session.execute(
                select(OrgContact.email_key, Organization)
                .join(Organization)
                .where(OrgContact.email_key.in_(chunk))
                .order_by(Organization.id)
            )
            for email, organization in contacts:
                self.by_email.setdefault(email, organization)

    def find(self, key: str, email_key: str | None) -> Organization | None:
        found = (
            self.by_key.get(key)
            or self.by_alias.get(key)
            or (self.by_email.get(email_key) if email_key else None)
        )
        return active(found) if found is not None else None

    def add(self, organization: Organization, signature: Signature) -> None:
        self.by_key.setdefault(organization.normalized_name, organization)
        self.by_key.setdefault(signature.normalized_name, organization)
        if signature.email_key:
            self.by_email.setdefault(signature.email_key, organization)


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def find_organization(key: str, email_key: str | None) -> Organization | None:
    """The record an organization name key or contact email already belongs to.

    In order: the record of that name (an active one before a merged-away one), then one
    knowing the name as an alias, then one knowing the contact address; one query, since
    every public sign-on asks.
    """
    named = Organization.normalized_name == key
    aliased = Organization.id.in_(
        select(OrgAlias.organization_id).where(OrgAlias.normalized_name == key)
    )
    matches = [named, aliased]
    if email_key:
        matches.append(
            Organization.id.in_(
                select(OrgContact.organization_id).where(OrgContact.email_key == email_key)
            )
        )
    rank = case((named, 0), (aliased, 1), else_=2)
    merged_away = case((and_(named, Organization.merged_into_id.is_not(None)), 1), else_=0)
    found = db.session.scalar(
        select(Organization)
        .where(or_(*matches))
        .order_by(rank, merged_away, Organization.id)
        .limit(1)
    )
    return active(found) if found is not None else None


def _new_organization(signature: Signature) -> Organization:
    organization = Organization(
        name=signature.shown_name,
        normalized_name=signature.normalized_name,
        website=signature.website or "",
        email_domain=email_domain(signature.contact_email or ""),
        org_type=signature.org_type,
        scope=signature.scope,
        city=signature.city or "",
        region=signature.region or "",
        country=signature.country or "",
        aliases=[],
        contacts=[],
    )
    db.session.add(organization)
    return organization


def _remember(organization: Organization, signature: Signature) -> None:
    """Keep a new name as an alias and a new contact person, so the record learns."""
    key = signature.normalized_name
    if key != organization.normalized_name and all(
        alias.normalized_name != key for alias in organization.aliases
    ):
        organization.aliases.append(OrgAlias(name=signature.organization, normalized_name=key))
    email_key = (signature.email_key or "").strip()
    if email_key and all(contact.email_key != email_key for contact in organization.contacts):
        organization.contacts.append(
            OrgContact(
                name=signature.contact_name or "",
                email=signature.contact_email,
                email_key=email_key,
            )
        )
    if not organization.email_domain and email_key:
        organization.email_domain = email_domain(email_key)


def link(signature: Signature, pending: Pending | None = None) -> Organization:
    """Attach `signature` to its organization record, creating the record if none fits.

    With `pending` (preloaded for the flush) no query is made here.
    """
    preloaded = pending is not None
    pending = pending or Pending()
    key, email_key = signature.normalized_name, signature.email_key
    organization = (
        signature.organization_record
        or pending.find(key, email_key)
        or (None if preloaded else find_organization(key, email_key))
        or _new_organization(signature)
    )
    _remember(organization, signature)
    signature.organization_record = organization
    pending.add(organization, signature)
    return organization


@event.listens_for(Session, "before_flush")
def _link_new_signatures(session: Any, flush_context: Any, instances: Any) -> None:
    """Before a flush writes signatures that have no organization yet, link them."""
    waiting = [
        obj
        for obj in [*session.new, *session.dirty]
        if isinstance(obj, Signature)
        and obj.kind is not SignerKind.INDIVIDUAL  # people sign for themselves
        and obj.organization_id is None
        and obj.organization_record is None
    ]
    if not waiting:
        return
    if len(waiting) == 1:  # a sign-on: one query (find_organization) instead of three
        link(waiting[0])
        return
    pending = Pending()
    pending.preload(
        {s.normalized_name for s in waiting}, {s.email_key for s in waiting if s.email_key}
    )
    for signature in waiting:
        link(signature, pending)
