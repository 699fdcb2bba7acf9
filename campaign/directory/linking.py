"""Every signature belongs to an organization record: finding or making it.

The rules are the sign-on page's duplicate rules, applied across letters: the same
normalized name (or a known alias) is the same organization, and so is the same contact
email. A session hook links each new signature before it is written, so the public form,
the CSV import, the demo and any future path get the same record without remembering to.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session
from sqlalchemy import event, select

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
        organization = db.session.get(Organization, organization.merged_into_id)
    return organization


def _pending(key: str, email_key: str | None) -> Organization | None:
    """A record made earlier in this same flush (not yet in the database) that fits."""
    for obj in db.session.new:
        if isinstance(obj, Organization) and (
            obj.normalized_name == key
            or any(alias.normalized_name == key for alias in obj.aliases)
            or (email_key and any(c.email_key == email_key for c in obj.contacts))
        ):
            return obj
    return None


def find_organization(key: str, email_key: str | None) -> Organization | None:
    """The record an organization name key or contact email already belongs to."""
    found = _pending(key, email_key) or db.session.scalar(
        select(Organization)
        .where(Organization.normalized_name == key)
        .order_by(Organization.merged_into_id.is_not(None), Organization.id)
        .limit(1)
    )
    if found is None:
        found = db.session.scalar(
            select(Organization)
            .join(OrgAlias)
            .where(OrgAlias.normalized_name == key)
            .order_by(Organization.id)
            .limit(1)
        )
    if found is None and email_key:
        found = db.session.scalar(
            select(Organization)
            .join(OrgContact)
            .where(OrgContact.email_key == email_key)
            .order_by(Organization.id)
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


def link(signature: Signature) -> Organization:
    """Attach `signature` to its organization record, creating the record if none fits."""
    organization = signature.organization_record or find_organization(
        signature.normalized_name, signature.email_key
    )
    if organization is None:
        organization = _new_organization(signature)
    _remember(organization, signature)
    signature.organization_record = organization
    return organization


@event.listens_for(Session, "before_flush")
def _link_new_signatures(session: Any, flush_context: Any, instances: Any) -> None:
    """Before a flush writes signatures that have no organization yet, link them."""
    for obj in list(session.new) + list(session.dirty):
        if (
            isinstance(obj, Signature)
            and obj.kind is not SignerKind.INDIVIDUAL  # people sign for themselves
            and obj.organization_id is None
            and obj.organization_record is None
        ):
            link(obj)
