"""The suppression list: search, export, add by hand and from CSV, unsubscribes, audited lift."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression


def _entries(app):
    with app.app_context():
        return {row.email: row.source.value for row in db.session.scalars(select(Suppression))}


def test_staff_add_search_export_and_lift(app, client_as):
    officer = client_as(Role.PRESS_OFFICER)
    officer.post("/suppressions", data={"email": "Gone@News.example", "reason": "asked by phone"})
    refused = officer.post("/suppressions", data={"email": "not-an-address"}, follow_redirects=True)
    assert "not-an-address" in refused.text
    upload = b"email,reason\nfirst@a.example,left the paper\nsecond@b.example,\n"
    officer.post(
        "/suppressions/import",
        data={"file": (io.BytesIO(upload), "list.csv")},
        content_type="multipart/form-data",
    )
    assert _entries(app) == {
        "Gone@news.example": "manual",
        "first@a.example": "import",
        "second@b.example": "import",
    }
    bad = b"email\nthird@c.example\nbroken@\n"
    page = officer.post(
        "/suppressions/import",
        data={"file": (io.BytesIO(bad), "bad.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Nothing was imported" in page.text and "third@c.example" not in _entries(app)
    found = officer.get("/suppressions?q=paper").text
    assert "first@a.example" in found and "Gone@news.example" not in found
    exported = list(csv.reader(io.StringIO(officer.get("/suppressions.csv").text)))
    assert exported[0] == ["email", "reason", "source", "since", "distribution_id"]
    assert {row[0] for row in exported[1:]} == set(_entries(app))
    viewer = client_as(Role.VIEWER)
    assert viewer.post("/suppressions", data={"email": "x@y.example"}).status_code == 403
    with app.app_context():
        entry = db.session.scalars(select(Suppression).filter_by(email="first@a.example")).one()
        entry_id = entry.id
    officer.post(f"/suppressions/{entry_id}/lift")
    assert "first@a.example" not in _entries(app)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"suppression.added", "suppression.lifted"} <= actions


def test_unsubscribed_contacts_are_shown(app, client_as):
    with app.app_context():
        db.session.add(
            Contact(
                name="Left",
                email="left@news.example",
                email_key="left@news.example",
                unsubscribed_at=clock.now(),
            )
        )
        db.session.commit()
    page = client_as(Role.PRESS_OFFICER).get("/suppressions").text
    assert "Unsubscribed contacts" in page and "left@news.example" in page
