"""The audit log: readable action names, filters, pages and a CSV of what the filters match."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.audit.names import action_name
from campaign.auth.roles import Role
from campaign.extensions import db


def add_events(app, count: int, action: str = "contact.created", actor: str = "ana@example.org"):
    with app.app_context():
        for number in range(count):
            db.session.add(
                AuditEvent(
                    actor_label=actor,
                    action=action,
                    subject_type="Contact",
                    subject_id=number + 1,
                    details={"note": f"=cmd {number}"},
                )
            )
        db.session.commit()


def test_names_are_readable_even_for_unknown_codes():
    assert action_name("statement.request_changes") == "Changes requested"
    assert action_name("widget.was_frobbed") == "Widget: was frobbed"


def test_filters_and_pages(app, client_as):
    add_events(app, 60)
    add_events(app, 3, action="contact.deleted", actor="bo@example.org")
    admin = client_as(Role.ADMIN)
    first = admin.get("/admin/audit?type=Contact").text
    assert "63 events match." in first and "Page 1 of 2" in first and first.count("<tr>") == 51
    assert "Contact added" in first and "<code>" not in first
    second = admin.get("/admin/audit?type=Contact&page=2").text
    assert second.count("<tr>") == 14
    by_who = admin.get("/admin/audit?who=BO@").text
    assert "3 events match" in by_who and "Contact deleted" in by_who
    by_action = admin.get("/admin/audit?action=contact.deleted").text
    assert "3 events match" in by_action
    by_record = admin.get("/admin/audit?type=Contact&id=2").text
    assert "2 events match" in by_record
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    assert "No events match" in admin.get(f"/admin/audit?type=Contact&since={tomorrow}").text
    assert "63 events match" in admin.get(f"/admin/audit?type=Contact&until={tomorrow}").text
    bad = admin.get("/admin/audit?since=yesterday")
    assert bad.status_code == 422 and "Not a valid date value" in bad.text


def test_csv_export_follows_the_filters_and_is_formula_safe(app, client_as):
    add_events(app, 2)
    add_events(app, 1, action="contact.deleted")
    response = client_as(Role.ADMIN).get("/admin/audit.csv?action=contact.created")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:4] == ["time (UTC)", "who", "action", "action code"]
    assert len(rows) == 3 and {row[2] for row in rows[1:]} == {"Contact added"}
    assert rows[1][6].startswith("'=cmd") or rows[1][6].startswith("note: =cmd")


def test_only_admins_see_the_log(client_as):
    assert client_as(Role.EDITOR).get("/admin/audit.csv").status_code == 403
