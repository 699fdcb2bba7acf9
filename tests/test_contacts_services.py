"""The contact services other features rely on: list resolution, reachability, unsubscribe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.contacts.models import Contact, ContactList
from campaign.contacts.services import (
    ContactError,
    contact_ids_for_lists,
    create_contact,
    is_reachable,
    search_contacts,
    unsubscribe,
)
from campaign.contacts.validation import ContactInvalid
from campaign.extensions import db


def test_lists_resolve_to_the_union_of_members_and_filter_matches(
    app: Flask, make_contact: Callable[..., int], make_list: Callable[..., int]
) -> None:
    a = make_contact(tags="climate, national")
    b = make_contact(tags="Climate")
    c = make_contact(tags="health")
    d = make_contact(tags="climate-policy")
    static = make_list("Health desk", [c, a])
    climate = make_list("Climate", tags="climate")
    both = make_list("Climate and national", tags="climate; national")
    with app.app_context():
        assert contact_ids_for_lists([static, climate]) == sorted([a, b, c])
        assert contact_ids_for_lists([climate]) == sorted([a, b]), "whole tags only"
        assert contact_ids_for_lists([both]) == [a]
        assert contact_ids_for_lists([static]) == sorted([a, c])
        assert contact_ids_for_lists([]) == []
        assert d not in contact_ids_for_lists([climate])


def test_unsubscribe_is_idempotent_and_audited(
    app: Flask, make_contact: Callable[..., int]
) -> None:
    contact_id = make_contact(email="Ana.Lopez@Daily.example")
    moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    clock.set_clock(lambda: moment)
    try:
        with app.app_context():
            assert is_reachable(db.session.get(Contact, contact_id))
            unsubscribe(contact_id)
            clock.set_clock(lambda: datetime(2026, 11, 24, tzinfo=UTC))
            unsubscribe(contact_id)
            contact = db.session.get(Contact, contact_id)
            assert contact.unsubscribed_at == moment
            assert not is_reachable(contact)
            events = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "contact.unsubscribed")
            ).all()
            assert [(e.subject_id, e.actor_label) for e in events] == [
                (contact_id, "Ana.Lopez@daily.example")
            ]
    finally:
        clock.set_clock(None)


def test_do_not_contact_is_unreachable(app: Flask, make_contact: Callable[..., int]) -> None:
    blocked = make_contact(do_not_contact="yes")
    open_ = make_contact()
    with app.app_context():
        assert not is_reachable(db.session.get(Contact, blocked))
        found = db.session.scalars(search_contacts(reachable="yes")).all()
        assert [c.id for c in found] == [open_]


def test_email_is_unique_whatever_its_case_and_phone_is_stored_in_e164(
    app: Flask, make_contact: Callable[..., int]
) -> None:
    contact_id = make_contact(email="sam@wire.example", phone="(202) 555-0143")
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.phone == "+12025550143"
        assert contact.phone_display == "(202) 555-0143"
        with pytest.raises(ContactError, match="already has the address"):
            create_contact({"name": "Sam again", "email": "SAM@wire.example"}, None)
        with pytest.raises(ContactInvalid) as error:
            create_contact({"name": "", "email": "not-an-address", "phone": "12"}, None)
        assert {field for field, _ in error.value.problems} == {"name", "email", "phone"}


def test_demo_contacts_and_lists(app: Flask, runner: Any) -> None:
    for _ in range(2):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 36
        lists = {lst.name: lst.id for lst in db.session.scalars(select(ContactList))}
        assert len(contact_ids_for_lists([lists["Statehouse press corps"]])) == 12
        assert len(contact_ids_for_lists([lists["Climate desk"]])) == 6
        assert len(contact_ids_for_lists([lists["Broadcast"]])) == 12
        reachable = [is_reachable(c) for c in db.session.scalars(select(Contact))]
        assert reachable.count(False) == 2


def test_tags_keep_letters_of_any_script(app: Flask, make_contact: Callable[..., int]) -> None:
    contact_id = make_contact(tags="Santé publique; ÉNERGIE, tv!, 50%_off")
    with app.app_context():
        tags = db.session.get(Contact, contact_id).tags
        assert tags == ["50_off", "santé-publique", "tv", "énergie"]
        found = db.session.scalars(search_contacts(tag="Santé Publique")).all()
        assert [c.id for c in found] == [contact_id]
        assert db.session.scalars(search_contacts(tag="50%")).all() == []
