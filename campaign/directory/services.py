"""Editing organization records and their contact people."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email

from campaign import clock
from campaign.audit.services import record
from campaign.contacts.tags import encode_tags, parse_tags
from campaign.directory.linking import email_domain
from campaign.directory.models import OrgAlias, Organization, OrgContact
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope
from campaign.signon.names import normalize_name, normalize_website

TEXT_FIELDS = ("city", "region", "country", "notes")


class DirectoryError(ValueError):
    """A change refused, with the reason in words for staff."""


def clean_email(email: str) -> str:
    """A normalized address, or DirectoryError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise DirectoryError(str(error)) from error


def apply_fields(organization: Organization, values: dict[str, Any]) -> None:
    """Set the record's fields from already length-checked text (form or CSV)."""
    name = (values.get("name") or organization.name or "").strip()
    if not normalize_name(name):
        raise DirectoryError("The organization name needs letters or digits.")
    try:
        website = normalize_website(values.get("website", organization.website) or "")
    except ValueError as error:
        raise DirectoryError(str(error)) from error
    organization.name, organization.normalized_name = name, normalize_name(name)
    organization.website = website
    if "email_domain" in values:
        organization.email_domain = (values["email_domain"] or "").strip().lower().lstrip("@")
    if values.get("org_type"):
        organization.org_type = OrgType(values["org_type"])
    if values.get("scope"):
        organization.scope = Scope(values["scope"])
    for field in TEXT_FIELDS:
        if field in values:
            setattr(organization, field, (values[field] or "").strip())
    if "tags" in values:
        organization.tags_text = encode_tags(parse_tags(values["tags"]))
    organization.updated_at = clock.now()


def set_aliases(organization: Organization, names: list[str]) -> None:
    """Replace the record's aliases with `names` (blank lines and repeats dropped)."""
    wanted = {normalize_name(n): n.strip() for n in names if normalize_name(n)}
    wanted.pop(organization.normalized_name, None)
    for alias in list(organization.aliases):
        if alias.normalized_name not in wanted:
            db.session.delete(alias)
        else:
            wanted.pop(alias.normalized_name)
    for key, name in wanted.items():
        db.session.add(OrgAlias(organization=organization, name=name[:200], normalized_name=key))


def update_organization(
    organization: Organization, values: dict[str, Any], aliases: list[str], actor: Any
) -> None:
    """Save staff's edit of a record, with an audit record of the fields sent."""
    apply_fields(organization, values)
    set_aliases(organization, aliases)
    record(actor, "organization.updated", organization, {"name": organization.name})
    db.session.commit()


def create_organization(values: dict[str, Any], actor: Any) -> Organization:
    """A record staff add by hand (for example before inviting a new organization)."""
    organization = Organization(name="", normalized_name="", aliases=[], contacts=[])
    apply_fields(organization, values)
    db.session.add(organization)
    db.session.flush()
    record(actor, "organization.created", organization, {"name": organization.name})
    db.session.commit()
    return organization


def add_contact(
    organization: Organization, name: str, email: str, title: str, may_sign: bool, actor: Any
) -> OrgContact:
    """Add a person; an address already on this record is refused."""
    address = clean_email(email)
    key = email_key(address)
    if any(c.email_key == key for c in organization.contacts):
        raise DirectoryError(f"{address} is already a contact of {organization.name}.")
    contact = OrgContact(
        organization=organization,
        name=name.strip(),
        title=title.strip(),
        email=address,
        email_key=key,
        may_sign=may_sign,
    )
    db.session.add(contact)
    if not organization.email_domain:
        organization.email_domain = email_domain(key)
    record(actor, "organization.contact_added", organization, {"email": key})
    db.session.commit()
    return contact


def remove_contact(contact: OrgContact, actor: Any) -> None:
    organization = contact.organization
    record(actor, "organization.contact_removed", organization, {"email": contact.email_key})
    db.session.delete(contact)
    db.session.commit()
