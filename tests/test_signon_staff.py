"""Staff pages: opening sign-on, the signatories table, moderation, CSV export and import."""

from __future__ import annotations

import csv
import io

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from campaign.signon.models import Grouping, Scope, Signature, SignatureStatus, SignOnSettings
from tests.support.signon import publish_head


def _settings(app, statement_id):
    with app.app_context():
        settings = db.session.get(SignOnSettings, statement_id)
        db.session.expunge(settings)
        return settings


def test_editor_opens_sign_on_with_deadline_and_approval(app, client_as, make_statement, make_user):
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(author=editor)
    publish_head(app, statement_id, editor, approver)
    from tests.conftest import log_in

    staff = log_in(app.test_client(), editor)
    response = staff.post(
        f"/statements/{statement_id}/signon",
        data={
            "open": "y",
            "deadline": "2031-03-01T17:00",
            "deadline_timezone": "America/New_York",
            "requires_approval": "y",
            "grouping": "scope",
            "goal": "200",
            "min_count_to_show": "10",
        },
        follow_redirects=True,
    )
    assert b"Sign-on settings saved." in response.data
    settings = _settings(app, statement_id)
    assert settings.open and settings.requires_approval
    assert settings.grouping is Grouping.SCOPE
    assert settings.deadline.isoformat() == "2031-03-01T22:00:00+00:00"
    assert (settings.goal, settings.min_count_to_show) == (200, 10)
    page = response.get_data(as_text=True)
    assert (
        "&lt;iframe src=&#34;http://localhost/s/" in page
        or '&lt;iframe src="http://localhost/s/' in page
    )
    assert "/embed" in page
    assert 'value="2031-03-01T17:00"' in page
    viewer = client_as(Role.VIEWER)
    assert viewer.post(f"/statements/{statement_id}/signon", data={"open": ""}).status_code == 403
    assert _settings(app, statement_id).open
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="signon.settings").count() == 1


def test_bad_settings_are_explained(app, client_as, open_statement):
    statement_id, _ = open_statement()
    response = client_as(Role.EDITOR).post(
        f"/statements/{statement_id}/signon",
        data={"open": "y", "grouping": "scope", "goal": "-5", "min_count_to_show": "0"},
    )
    assert response.status_code == 422
    assert b"Number must be between 1 and 1000000." in response.data


def _seed(statement_id, add_signature):
    ids = {
        "pending": add_signature(statement_id, "Alpha Pending", SignatureStatus.PENDING),
        "confirmed": add_signature(statement_id, "Bravo Confirmed", city="Millbrook"),
        "withdrawn": add_signature(statement_id, "Charlie Gone", SignatureStatus.WITHDRAWN),
        "flagged": add_signature(statement_id, "Delta Twice", duplicate_attempts=2, flag="again"),
    }
    return ids


def test_table_filters_searches_and_sorts(app, client_as, open_statement, add_signature):
    statement_id, _ = open_statement()
    _seed(statement_id, add_signature)
    viewer = client_as(Role.EDITOR)  # moderators see signers' data
    url = f"/statements/{statement_id}/signatories"
    all_rows = viewer.get(url).get_data(as_text=True)
    assert all_rows.index("Alpha Pending") < all_rows.index("Bravo Confirmed")
    pending = viewer.get(url, query_string={"status": "pending"}).get_data(as_text=True)
    assert "Alpha Pending" in pending and "Bravo Confirmed" not in pending
    found = viewer.get(url, query_string={"q": "millbrook"}).get_data(as_text=True)
    assert "Bravo Confirmed" in found and "Alpha Pending" not in found
    reverse = viewer.get(url, query_string={"sort": "organization", "dir": "desc"}).get_data(
        as_text=True
    )
    assert reverse.index("Delta Twice") < reverse.index("Alpha Pending")
    flagged = viewer.get(url, query_string={"flagged": "1"}).get_data(as_text=True)
    assert "Delta Twice" in flagged and "Duplicate attempts: 2" in flagged
    assert "Bravo Confirmed" not in flagged
    odd = viewer.get(url, query_string={"status": "nonsense", "sort": "drop", "page": "x"})
    assert odd.status_code == 200


def test_bulk_approve_and_reject(app, client_as, open_statement, add_signature):
    statement_id, _ = open_statement(requires_approval=True)
    ids = _seed(statement_id, add_signature)
    with app.app_context():
        for signature in db.session.query(Signature):
            signature.confirmed_at = (
                signature.created_at if signature.status is not SignatureStatus.PENDING else None
            )
        db.session.commit()
    editor = client_as(Role.EDITOR)
    url = f"/statements/{statement_id}/signatories/decide"
    chosen = [ids["pending"], ids["confirmed"], ids["withdrawn"], ids["flagged"]]
    response = editor.post(url, data={"decision": "approve", "ids": chosen}, follow_redirects=True)
    assert b"Approved 2. 2 skipped" in response.data
    with app.app_context():
        assert [s.name for s in listed_signatories(statement_id)] == [
            "Bravo Confirmed",
            "Delta Twice",
        ]
    editor.post(url, data={"decision": "reject", "ids": [ids["flagged"]]})
    with app.app_context():
        assert [s.name for s in listed_signatories(statement_id)] == ["Bravo Confirmed"]
        decisions = [
            e.action
            for e in db.session.query(AuditEvent).filter(AuditEvent.action.like("signature.%"))
        ]
    assert decisions == ["signature.approved", "signature.approved", "signature.rejected"]
    press = client_as(Role.PRESS_OFFICER)
    assert (
        press.post(url, data={"decision": "reject", "ids": [ids["confirmed"]]}).status_code == 403
    )


def test_display_name_edit_is_audited(app, client, client_as, open_statement, add_signature):
    statement_id, slug = open_statement()
    signature_id = add_signature(statement_id, "Harbr Familes Aliance")
    editor = client_as(Role.EDITOR)
    editor.post(
        f"/signatures/{signature_id}/display-name",
        data={"display_name": "Harbor Families Alliance"},
    )
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "Harbor Families Alliance" in public and "Harbr" not in public
    with app.app_context():
        [event] = db.session.query(AuditEvent).filter_by(action="signature.renamed").all()
    assert event.details["from"] == "Harbr Familes Aliance"
    assert event.details["to"] == "Harbor Families Alliance"
    too_long = editor.post(
        f"/signatures/{signature_id}/display-name", data={"display_name": "x" * 201}
    )
    assert too_long.status_code == 400
    viewer = client_as(Role.VIEWER)
    assert (
        viewer.post(
            f"/signatures/{signature_id}/display-name", data={"display_name": "Y"}
        ).status_code
        == 403
    )


def test_exports_are_formula_safe_and_scoped(app, client_as, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "=cmd|' /C calc'!A0", contact_email="-x@example.org")
    add_signature(statement_id, "Hidden Pending", SignatureStatus.PENDING)
    editor = client_as(Role.EDITOR)
    full = editor.get(f"/statements/{statement_id}/signatories.csv")
    assert full.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(full.get_data(as_text=True))))
    assert {r["organization"] for r in rows} == {"'=cmd|' /C calc'!A0", "Hidden Pending"}
    assert "'-x@example.org" in {r["contact_email"] for r in rows}
    public = client_as(Role.VIEWER).get(f"/statements/{statement_id}/signatories-public.csv")
    public_rows = list(csv.reader(io.StringIO(public.get_data(as_text=True))))
    assert [r[0] for r in public_rows[1:]] == ["'=cmd|' /C calc'!A0"]
    assert (
        client_as(Role.VIEWER).get(f"/statements/{statement_id}/signatories.csv").status_code == 403
    )


def _upload(client, statement_id, text, skip=False):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "list.csv")}
    if skip:
        data["skip_bad_rows"] = "y"
    return client.post(
        f"/statements/{statement_id}/signatories/import",
        data=data,
        content_type="multipart/form-data",
    )


IMPORT = """organization,org_type,scope,city,region,country,website,contact_name,contact_email
Anchor Fund,nonprofit,national,Springfield,IL,United States,,Ann Lee,ann@anchor.example.org
,nonprofit,national,,,,,,
Beacon Clinic,Service provider,state and local,Millbrook,OH,United States,,,
Bad Mail Org,,,,,,,,not-an-email
The Anchor Fund Inc.,,,,,,,,
Weird Type,pirates,,,,,,,
"""


def test_import_is_all_or_nothing_with_line_numbers(app, client_as, open_statement, make_user):
    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    response = _upload(editor, statement_id, IMPORT)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    for line, text in (
        (3, "organization name is missing"),
        (5, "@-sign"),
        (6, "has already signed"),
        (7, "unknown org_type"),
    ):
        assert f"<td>{line}</td><td>" in page and text in page
    with app.app_context():
        assert db.session.query(Signature).count() == 0
    skipped = _upload(editor, statement_id, IMPORT, skip=True)
    assert b"Imported 2 signatories." in skipped.data
    with app.app_context():
        imported = db.session.query(Signature).order_by(Signature.id).all()
        assert [s.organization for s in imported] == ["Anchor Fund", "Beacon Clinic"]
        assert all(s.imported_by_id and s.status is SignatureStatus.CONFIRMED for s in imported)
        assert imported[1].scope.value == "state_local"
        assert [s.name for s in listed_signatories(statement_id)] == [
            "Anchor Fund",
            "Beacon Clinic",
        ]
    again = _upload(editor, statement_id, "organization\nANCHOR FUND\n")
    assert b"has already signed" in again.data


def test_import_refuses_unreadable_files(app, client_as, open_statement):
    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    bad = editor.post(
        f"/statements/{statement_id}/signatories/import",
        data={"file": (io.BytesIO(b"organization\n\xff\xfe broken\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and b"not UTF-8" in bad.data
    no_header = _upload(editor, statement_id, "name,city\nX,Y\n")
    assert b"including \xe2\x80\x9corganization\xe2\x80\x9d" in no_header.data
    assert (
        client_as(Role.VIEWER).get(f"/statements/{statement_id}/signatories/import").status_code
        == 403
    )


def test_cli_export_and_import(app, runner, open_statement, make_user, tmp_path):
    statement_id, slug = open_statement()
    editor = make_user(Role.EDITOR)
    source = tmp_path / "list.csv"
    source.write_text("organization,city\nZeta Collective,Lakeview\nThe Able Group,Fairview\n")
    result = runner.invoke(args=["signon", "import", slug, str(source), "--as", editor.email])
    assert result.exit_code == 0, result.output
    assert "Imported 2 signatories." in result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["signon", "export", str(statement_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r[0] for r in csv.reader(out.open())][1:] == ["The Able Group", "Zeta Collective"]
    bad = tmp_path / "bad.csv"
    bad.write_text("organization\n\nZeta Collective\n")
    result = runner.invoke(args=["signon", "import", slug, str(bad), "--as", editor.email])
    assert result.exit_code == 1
    assert "line 3" in result.output and "Nothing was imported" in result.output


def test_staff_export_imports_into_another_statement(app, client_as, open_statement, add_signature):
    first, _ = open_statement()
    second, _ = open_statement()
    add_signature(first, "Beacon Clinic", city="Millbrook", scope=Scope.STATE_LOCAL)
    editor = client_as(Role.EDITOR)
    exported = editor.get(f"/statements/{first}/signatories.csv").get_data(as_text=True)
    assert b"Imported 1 signatory." in _upload(editor, second, exported).data
    with app.app_context():
        [listed] = listed_signatories(second)
    assert (listed.name, listed.city, listed.scope) == ("Beacon Clinic", "Millbrook", "state_local")


def test_select_all_matching_acts_on_every_page(app, client_as, open_statement, add_signature):
    statement_id, _ = open_statement(requires_approval=True)
    for number in range(60):
        add_signature(statement_id, f"Group {number:02d}", SignatureStatus.CONFIRMED)
    add_signature(statement_id, "Other Org", SignatureStatus.CONFIRMED)
    editor = client_as(Role.EDITOR)
    page = editor.get(f"/statements/{statement_id}/signatories?q=group").get_data(as_text=True)
    assert page.count('name="ids"') == 50 and "Page 1 of 2" in page
    assert "Select all 60 matching signatures, on every page" in page
    assert '<label for="decision">' in page
    url = f"/statements/{statement_id}/signatories/decide?q=group"
    response = editor.post(
        url, data={"decision": "reject", "all_matching": "y"}, follow_redirects=True
    )
    assert b"Rejected 60." in response.data
    with app.app_context():
        statuses = {s.organization: s.status for s in db.session.query(Signature)}
    assert statuses["Other Org"] is SignatureStatus.CONFIRMED
    groups = {org: status for org, status in statuses.items() if org.startswith("Group ")}
    assert len(groups) == 60 and set(groups.values()) == {SignatureStatus.REJECTED}
