"""Public endpoints: links only ask on GET, and name their subject by something never reused."""

from __future__ import annotations

import statistics
import time

import pytest

from campaign.contacts.models import Contact
from campaign.distribution.message import unsubscribe_token
from campaign.extensions import db
from campaign.signon.models import SignatureStatus
from tests.test_signon_public import form, link_in, mails_to, signatures


def test_a_bare_get_of_a_confirmation_link_confirms_nothing(app, client, open_statement):
    statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    link = link_in(text, "confirm")
    page = client.get(link)  # what a mail scanner does
    assert page.status_code == 200 and b'<form method="post">' in page.data
    assert signatures(app, statement_id)[0].status is SignatureStatus.PENDING
    client.post(link)
    assert signatures(app, statement_id)[0].status is SignatureStatus.CONFIRMED


def _replace_contact(app, contact_id: int, email: str) -> None:
    """Delete a contact and give its id to a new person, as SQLite or a restore can."""
    with app.app_context():
        db.session.delete(db.session.get(Contact, contact_id))
        db.session.commit()
        db.session.add(Contact(id=contact_id, name="New Person", email=email, email_key=email))
        db.session.commit()


def test_an_unsubscribe_link_for_a_deleted_contact_does_nothing_to_a_new_one(
    app, client, make_contact
):
    contact_id = make_contact(email="old@news.example")
    with app.app_context():
        token = unsubscribe_token(contact_id, 1, "old@news.example")
    assert client.get(f"/unsubscribe/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(Contact, contact_id).unsubscribed_at is None  # GET only asks
    _replace_contact(app, contact_id, "new@news.example")
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    with app.app_context():
        assert db.session.get(Contact, contact_id).unsubscribed_at is None


def test_unsubscribing_by_the_right_link_works(app, client, make_contact):
    contact_id = make_contact(email="kept@news.example")
    with app.app_context():
        token = unsubscribe_token(contact_id, 1, "Kept@News.example")
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(Contact, contact_id).unsubscribed_at is not None


def test_public_actions_are_shown_as_public_in_the_audit_log(client_as, client, open_statement):
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form(contact_email="admin@example.org"))
    page = client_as_admin_page(client_as)
    assert '<em>public</em> <small class="hint">(gave admin@example.org)</small>' in page
    assert '<a href="' not in page.split("(gave admin@example.org)")[0].rsplit("<tr>", 1)[1]


def client_as_admin_page(client_as) -> str:
    from campaign.auth.roles import Role

    return client_as(Role.ADMIN).get("/admin/audit").get_data(as_text=True)


def _median_sign(client, slug: str, payloads: list[dict]) -> float:
    times = []
    for data in payloads:
        began = time.perf_counter()
        assert client.post(f"/s/{slug}/sign", data=data).status_code == 200
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def test_a_duplicate_sign_on_takes_as_long_as_a_new_one(app, client, open_statement, backend):
    if backend != "sqlite":
        pytest.skip("one backend is enough for a timing comparison")
    app.config["SIGNON_MAILS_PER_ADDRESS"] = 1000
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    samples = 12
    new = [
        form(organization=f"Newcomer Group {n}", contact_email=f"new{n}@example.org")
        for n in range(samples)
    ]
    duplicate = [form(contact_email=f"dup{n}@example.org") for n in range(samples)]
    _median_sign(client, slug, new[:2] + duplicate[:2])  # warm both paths
    fresh = _median_sign(client, slug, new[2:])
    again = _median_sign(client, slug, duplicate[2:])
    assert 0.5 < again / fresh < 2.0, (fresh, again)
