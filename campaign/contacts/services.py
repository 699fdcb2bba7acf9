"""Contact rules: creating, editing, searching, reachability, unsubscribing, list membership.

Other features (distributions) depend on three functions here: `contact_ids_for_lists`,
`is_reachable` and `unsubscribe`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import Select, false, or_, select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.contacts.models import Contact, ContactList, ListKind, list_members
from campaign.contacts.tags import has_tags, normalize_tag
from campaign.contacts.validation import clean_contact
from campaign.extensions import db

EDITABLE = ("name", "outlet", "beat", "email", "phone", "city", "tags", "notes", "do_not_contact")


class ContactError(ValueError):
    """A user-facing reason why a contact change was refused."""


def phone_region() -> str:
    """Region assumed for phone numbers written without a country code."""
    return current_app.config.get("CONTACTS_PHONE_REGION", "US")


def is_reachable(contact: Contact) -> bool:
    """May a release be sent to `contact`? Not if do-not-contact or unsubscribed."""
    return contact.reachable


def unsubscribe(contact_id: int) -> None:
    """Record that the contact asked for no more mail; a second call changes nothing."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.unsubscribed_at is not None:
        return
    contact.unsubscribed_at = clock.now()
    record(None, "contact.unsubscribed", contact, actor_label=contact.email)
    db.session.commit()


def contact_ids_for_lists(list_ids: list[int]) -> list[int]:
    """Every contact on any of the lists (static members and filter matches), once, sorted."""
    lists = db.session.scalars(select(ContactList).where(ContactList.id.in_(list_ids))).all()
    ids: set[int] = set()
    static_ids = [lst.id for lst in lists if lst.kind is ListKind.STATIC]
    if static_ids:
        query = select(list_members.c.contact_id).where(list_members.c.list_id.in_(static_ids))
        ids.update(db.session.scalars(query))
    for lst in lists:
        if lst.kind is ListKind.FILTER:
            ids.update(db.session.scalars(filter_query(lst, Contact.id)))
    return sorted(ids)


def filter_query(lst: ContactList, *columns: Any) -> Select[Any]:
    """Contacts matched by a saved tag filter (a filter without tags matches nobody)."""
    query = select(*columns) if columns else select(Contact)
    if not lst.filter_tags:
        return query.where(false())
    return query.where(has_tags(Contact.tags_text, lst.filter_tags, lst.filter_match_all))


def search_contacts(
    text: str = "", tag: str = "", outlet: str = "", reachable: str = ""
) -> Select[Contact]:
    """The contacts page query: free text over name, email and outlet, plus filters."""
    query = select(Contact).order_by(Contact.name, Contact.id)
    text = text.strip()
    if text:
        columns = (Contact.name, Contact.email, Contact.outlet)
        query = query.where(or_(*(column.icontains(text, autoescape=True) for column in columns)))
    if normalize_tag(tag):
        query = query.where(has_tags(Contact.tags_text, [normalize_tag(tag)]))
    if outlet:
        query = query.where(Contact.outlet == outlet)
    if reachable == "yes":
        query = query.where(Contact.do_not_contact.is_(False), Contact.unsubscribed_at.is_(None))
    elif reachable == "no":
        query = query.where(
            or_(Contact.do_not_contact.is_(True), Contact.unsubscribed_at.isnot(None))
        )
    return query


def matching_ids(query: Select[Contact], chosen: list[int] | None = None) -> list[int]:
    """Ids of the contacts `query` matches on every page, for "select all matching"; with
    `chosen`, only those of them, so a forged id cannot reach beyond the search."""
    ids = query.with_only_columns(Contact.id).order_by(None)
    if chosen is not None:
        ids = ids.where(Contact.id.in_(chosen))
    return list(db.session.scalars(ids))


def create_contact(raw: dict[str, Any], actor: Any) -> Contact:
    """Add a contact from form text; raises ContactInvalid or ContactError (duplicate email)."""
    contact = Contact(
        **clean_contact({field: raw.get(field) or "" for field in EDITABLE}, phone_region())
    )
    db.session.add(contact)
    _flush_unique(contact)
    record(actor, "contact.created", contact, {"email": contact.email})
    db.session.commit()
    return contact


def update_contact(contact: Contact, raw: dict[str, Any], actor: Any) -> Contact:
    """Change a contact from form text; same errors as `create_contact`."""
    values = clean_contact({field: raw.get(field) or "" for field in EDITABLE}, phone_region())
    for field, value in values.items():
        setattr(contact, field, value)
    _flush_unique(contact)
    record(actor, "contact.updated", contact, {"email": contact.email})
    db.session.commit()
    return contact


def delete_contact(contact: Contact, actor: Any) -> None:
    """Remove a contact and its list memberships (distribution records keep their own copy)."""
    record(actor, "contact.deleted", contact, {"email": contact.email})
    db.session.delete(contact)
    db.session.commit()


def _flush_unique(contact: Contact) -> None:
    email = contact.email
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ContactError(f"Another contact already has the address {email}.") from error


def outlets() -> list[str]:
    """Distinct outlets, for the filter drop-down."""
    query = select(Contact.outlet).where(Contact.outlet != "").distinct().order_by(Contact.outlet)
    return list(db.session.scalars(query))
