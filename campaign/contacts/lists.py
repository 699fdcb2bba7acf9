"""Contact lists: static lists with chosen members, and saved tag filters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from campaign.audit.services import record
from campaign.contacts.models import Contact, ContactList, ListKind, list_members
from campaign.contacts.services import filter_query
from campaign.contacts.tags import parse_tags
from campaign.contacts.validation import clean_email
from campaign.extensions import db


class ListError(ValueError):
    """A user-facing reason why a list change was refused."""


def create_list(
    name: str,
    kind: ListKind,
    actor: Any,
    description: str = "",
    tags: str | list[str] = "",
    match_all: bool = True,
) -> ContactList:
    """A new list; a filter list needs at least one tag, or it would silently match nobody."""
    name = name.strip()
    if not name:
        raise ListError("A list needs a name.")
    lst = ContactList(name=name, kind=kind, description=description.strip())
    lst.created_by_id = getattr(actor, "id", None)
    if kind is ListKind.FILTER:
        _set_filter(lst, tags, match_all)
    db.session.add(lst)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ListError(f"A list named “{name}” already exists.") from error
    record(actor, "contact_list.created", lst, {"name": name, "kind": kind.value})
    db.session.commit()
    return lst


def rename_list(lst: ContactList, name: str, description: str, actor: Any) -> None:
    """Change a list's name and description (names stay unique)."""
    name = name.strip()
    if not name:
        raise ListError("A list needs a name.")
    lst.name, lst.description = name, description.strip()
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise ListError(f"A list named “{name}” already exists.") from error
    record(actor, "contact_list.renamed", lst, {"name": name})
    db.session.commit()


def update_filter(lst: ContactList, tags: str | list[str], match_all: bool, actor: Any) -> None:
    """Change the tags a filter list selects by."""
    if lst.kind is not ListKind.FILTER:
        raise ListError("Only a filter list has tags to change.")
    _set_filter(lst, tags, match_all)
    record(actor, "contact_list.filter_changed", lst, {"tags": lst.filter_tags})
    db.session.commit()


def _set_filter(lst: ContactList, tags: str | list[str], match_all: bool) -> None:
    parsed = parse_tags(tags)
    if not parsed:
        raise ListError("A filter list needs at least one tag.")
    lst.filter_tags = parsed
    lst.filter_match_all = match_all


def add_members_by_email(lst: ContactList, text: str, actor: Any) -> tuple[int, list[str]]:
    """Add the contacts whose addresses are in `text` (one per line or comma-separated).

    Returns how many were added and the addresses that matched no contact, so the page can
    say which ones were not found instead of dropping them silently.
    """
    keys: dict[str, str] = {}
    not_found: list[str] = []
    for piece in text.replace(",", "\n").split():
        try:
            keys[clean_email(piece).key] = piece
        except ValueError:
            not_found.append(piece)
    query = select(Contact.email_key, Contact.id).where(Contact.email_key.in_(keys))
    found: dict[str, int] = {key: contact_id for key, contact_id in db.session.execute(query)}
    not_found += [shown for key, shown in keys.items() if key not in found]
    return add_members(lst, list(found.values()), actor), not_found


def add_members(lst: ContactList, contact_ids: list[int], actor: Any) -> int:
    """Add contacts to a static list, leaving those already on it; returns how many were added."""
    if lst.kind is not ListKind.STATIC:
        raise ListError("Members are added to static lists; a filter list selects by tags.")
    present = set(
        db.session.scalars(
            select(list_members.c.contact_id).where(list_members.c.list_id == lst.id)
        )
    )
    new = sorted(set(contact_ids) - present)
    if new:
        db.session.execute(
            insert(list_members), [{"list_id": lst.id, "contact_id": cid} for cid in new]
        )
        record(actor, "contact_list.members_added", lst, {"count": len(new)})
    db.session.commit()
    return len(new)


def remove_member(lst: ContactList, contact_id: int, actor: Any) -> None:
    """Take a contact off a static list."""
    db.session.execute(
        delete(list_members).where(
            list_members.c.list_id == lst.id, list_members.c.contact_id == contact_id
        )
    )
    record(actor, "contact_list.member_removed", lst, {"contact_id": contact_id})
    db.session.commit()


def delete_list(lst: ContactList, actor: Any) -> None:
    """Delete a list; its contacts stay."""
    record(actor, "contact_list.deleted", lst, {"name": lst.name})
    db.session.delete(lst)
    db.session.commit()


def list_contacts(lst: ContactList) -> Select[Contact]:
    """The contacts a list addresses today, by name."""
    if lst.kind is ListKind.FILTER:
        return filter_query(lst).order_by(Contact.name, Contact.id)
    return (
        select(Contact)
        .join(list_members, list_members.c.contact_id == Contact.id)
        .where(list_members.c.list_id == lst.id)
        .order_by(Contact.name, Contact.id)
    )


def all_lists() -> list[tuple[ContactList, int]]:
    """Every list with the number of contacts it addresses now."""
    lists = db.session.scalars(select(ContactList).order_by(ContactList.name)).all()
    return [(lst, count_contacts(lst)) for lst in lists]


def count_contacts(lst: ContactList) -> int:
    """How many contacts the list addresses now."""
    query = list_contacts(lst).order_by(None).with_only_columns(func.count(Contact.id))
    return db.session.scalar(query) or 0


def static_lists() -> list[ContactList]:
    """Static lists by name, for "add to list" menus."""
    query = select(ContactList).where(ContactList.kind == ListKind.STATIC)
    return list(db.session.scalars(query.order_by(ContactList.name)))
