"""Drafting, revising, viewing, comparing and restoring statement versions."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.campaigns.services import create_campaign
from campaign.extensions import db
from campaign.statements.models import Kind, StatementVersion
from tests.conftest import load_statement


def form_data(base_version: int | str = 1, **fields: str) -> dict[str, str]:
    data = {
        "base_version": str(base_version),
        "title": "Stop the sentencing bill",
        "body": "We, the undersigned, oppose the bill.",
        "release_type": "immediate",
        "embargo_timezone": "America/New_York",
        "media_contacts-0-name": "",
        "media_contacts-0-phone": "",
        "media_contacts-0-email": "",
    }
    data.update(fields)
    return data


def version_count(app, statement_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(StatementVersion.statement_id == statement_id)
        )


def test_editor_creates_campaign_and_statement(app, client_as):
    editor = client_as(Role.EDITOR)
    response = editor.post("/campaigns/new", data={"name": "Bail reform", "description": "2027"})
    assert response.status_code == 302
    campaign_path = response.location
    new_statement = f"{campaign_path}/statements/new"
    response = editor.post(new_statement, data=form_data(kind="press_release", note="first"))
    assert response.status_code == 302
    page = editor.get(response.location)
    assert b"Stop the sentencing bill" in page.data
    assert b"FOR IMMEDIATE RELEASE" in page.data
    assert b"Draft" in page.data


def test_duplicate_campaign_name_is_a_field_error(client_as):
    editor = client_as(Role.EDITOR)
    editor.post("/campaigns/new", data={"name": "Bail reform"})
    response = editor.post("/campaigns/new", data={"name": "Bail reform"})
    assert response.status_code == 200
    assert b"already exists" in response.data


def test_empty_title_is_refused_and_nothing_saved(app, client_as, make_statement):
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    response = editor.post(f"/statements/{statement_id}/edit", data=form_data(title="  "))
    assert response.status_code == 422
    assert b"A title is required." in response.data
    assert version_count(app, statement_id) == 1


def test_oversized_body_is_refused_with_the_limit(app, client_as, make_statement):
    app.config["STATEMENT_BODY_MAX_CHARS"] = 1000
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    response = editor.post(f"/statements/{statement_id}/edit", data=form_data(body="x" * 1001))
    assert response.status_code == 422
    assert b"the limit is 1,000" in response.data
    assert version_count(app, statement_id) == 1


def test_invalid_media_contact_phone_and_embargo_without_time(app, client_as, make_statement):
    statement_id = make_statement(kind=Kind.PRESS_RELEASE)
    editor = client_as(Role.EDITOR)
    data = form_data(
        release_type="embargoed",
        **{"media_contacts-0-name": "Jo Reyes", "media_contacts-0-phone": "12"},
    )
    response = editor.post(f"/statements/{statement_id}/edit", data=data)
    assert response.status_code == 422
    assert b"is not a valid phone number" in response.data
    assert b"needs the date and time it lifts" in response.data
    assert version_count(app, statement_id) == 1


def test_every_save_is_a_new_numbered_version(app, client_as, make_statement):
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    for base, body in ((1, "Second text."), (2, "Third text.")):
        response = editor.post(
            f"/statements/{statement_id}/edit", data=form_data(base, body=body, note=f"v{base + 1}")
        )
        assert response.status_code == 302
    assert version_count(app, statement_id) == 3
    history = editor.get(f"/statements/{statement_id}/history")
    assert history.status_code == 200
    for number in (1, 2, 3):
        assert f">v{number}</a>".encode() in history.data
    first = editor.get(f"/statements/{statement_id}/versions/1")
    assert b"We, the undersigned, oppose the bill." in first.data
    third = editor.get(f"/statements/{statement_id}/versions/3")
    assert b"Third text." in third.data


def test_press_release_fields_are_stored_and_shown(app, client_as, make_statement):
    statement_id = make_statement(kind=Kind.PRESS_RELEASE)
    editor = client_as(Role.EDITOR)
    data = form_data(
        release_type="embargoed",
        embargo_until="2026-12-03T09:00",
        embargo_timezone="America/New_York",
        dateline="WASHINGTON",
        release_date="2026-12-03",
        boilerplate="About the Justice Forward Project.",
        **{
            "media_contacts-0-name": "Jordan Reyes",
            "media_contacts-0-phone": "212-555-0147",
            "media_contacts-0-email": "press@example.org",
        },
    )
    assert editor.post(f"/statements/{statement_id}/edit", data=data).status_code == 302
    page = editor.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert "EMBARGOED UNTIL December 3, 2026 9:00 AM EST" in page
    assert "Jordan Reyes · (212) 555-0147 · press@example.org" in page
    assert "WASHINGTON, December 3, 2026" in page
    with app.app_context():
        version = db.session.scalar(select(StatementVersion).filter_by(number=2))
        assert version.media_contacts[0]["phone"] == "+12125550147"
        assert version.embargo_until.hour == 14


def test_markdown_body_is_sanitized_on_every_page(app, client_as, make_statement):
    body = "Hi <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>"
    statement_id = make_statement(body=body)
    editor = client_as(Role.EDITOR)
    for path in (f"/statements/{statement_id}", f"/statements/{statement_id}/versions/1"):
        html = editor.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html
        assert 'href="javascript:' not in html
        assert "<img" not in html
    preview = editor.post("/statements/preview", json={"body": body}).get_json()
    assert "<script>" not in preview["html"]
    assert "javascript:" not in preview["html"].replace("(javascript:alert(2))", "")


def test_preview_rejects_bad_json_with_a_json_error(client_as):
    editor = client_as(Role.EDITOR)
    response = editor.post("/statements/preview", json={"body": 5})
    assert response.status_code == 400
    assert "body" in response.get_json()["message"]


def test_unknown_versions_are_404_with_a_message(client_as, make_statement):
    statement_id = make_statement()
    viewer = client_as(Role.VIEWER)
    response = viewer.get(f"/statements/{statement_id}/versions/9")
    assert response.status_code == 404
    assert b"has no version 9" in response.data
    assert viewer.get(f"/statements/{statement_id}/compare?old=1&new=9").status_code == 404
    assert viewer.get(f"/statements/{statement_id}/compare?old=1").status_code == 400
    assert viewer.get("/statements/9999").status_code == 404


def test_compare_highlights_word_changes_side_by_side(client_as, make_statement):
    statement_id = make_statement(body="The quick brown fox jumps.")
    editor = client_as(Role.EDITOR)
    editor.post(f"/statements/{statement_id}/edit", data=form_data(body="The quick red fox jumps."))
    html = editor.get(f"/statements/{statement_id}/compare?old=1&new=2").get_data(as_text=True)
    assert "<del>brown</del>" in html
    assert "<ins>red</ins>" in html


def test_compare_across_paragraphs_keeps_word_level_detail(client_as, make_statement):
    statement_id = make_statement(body="First point here.\n\nSecond point there.")
    editor = client_as(Role.EDITOR)
    revised = "First point made here.\n\nA new middle paragraph.\n\nSecond point there!"
    editor.post(f"/statements/{statement_id}/edit", data=form_data(body=revised))
    html = editor.get(f"/statements/{statement_id}/compare?old=1&new=2").get_data(as_text=True)
    assert "<ins>made </ins>" in html
    assert "<ins>A new middle paragraph." in html
    assert "<del>.</del>" in html and "<ins>!</ins>" in html


def test_restore_makes_a_new_version_with_the_old_text(app, client_as, make_statement):
    statement_id = make_statement(body="Original words.")
    editor = client_as(Role.EDITOR)
    editor.post(f"/statements/{statement_id}/edit", data=form_data(body="Rewritten."))
    response = editor.post(f"/statements/{statement_id}/versions/1/restore")
    assert response.status_code == 302
    assert version_count(app, statement_id) == 3
    page = editor.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert "Original words." in page
    history = editor.get(f"/statements/{statement_id}/history").get_data(as_text=True)
    assert "(restored v1)" in history
    assert editor.post(f"/statements/{statement_id}/versions/7/restore").status_code == 404
    assert version_count(app, statement_id) == 3


def test_viewer_cannot_edit_restore_or_preview(app, client_as, make_statement):
    statement_id = make_statement()
    viewer = client_as(Role.VIEWER)
    assert viewer.get(f"/statements/{statement_id}/edit").status_code == 403
    assert viewer.post(f"/statements/{statement_id}/edit", data=form_data()).status_code == 403
    assert viewer.post(f"/statements/{statement_id}/versions/1/restore").status_code == 403
    assert viewer.post("/statements/preview", json={"body": "x"}).status_code == 403
    assert version_count(app, statement_id) == 1


def test_save_without_changes_makes_no_version(app, client_as, make_statement):
    statement_id = make_statement(body="Unchanged words.")
    editor = client_as(Role.EDITOR)
    page = editor.get(f"/statements/{statement_id}/edit").get_data(as_text=True)
    assert 'value="1"' in page
    response = editor.post(
        f"/statements/{statement_id}/edit",
        data=form_data(1, body="Unchanged words.", embargo_timezone="UTC"),
        follow_redirects=True,
    )
    assert "Nothing changed, so no new version was made; still version 1." in response.text
    assert version_count(app, statement_id) == 1


def test_edit_without_base_version_is_a_bad_request(app, client_as, make_statement):
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    response = editor.post(f"/statements/{statement_id}/edit", data=form_data(base_version=""))
    assert response.status_code == 400
    assert version_count(app, statement_id) == 1


def test_versions_cannot_be_modified_in_place(app, make_statement):
    statement_id = make_statement()
    with app.app_context():
        version = db.session.scalar(select(StatementVersion).filter_by(statement_id=statement_id))
        version.body = "tampered"
        try:
            db.session.flush()
        except RuntimeError as error:
            assert "immutable" in str(error)
        else:
            raise AssertionError("a stored version was updated")
        db.session.rollback()


def test_statement_list_on_campaign_page(app, client_as, make_statement):
    statement_id = make_statement(title="Letter to the committee")
    viewer = client_as(Role.VIEWER)
    with app.app_context():
        campaign_id = load_statement(app, statement_id).campaign_id
        create_campaign("Unrelated", "", None)
    page = viewer.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Letter to the committee" in page


def test_the_editor_shows_only_the_fields_of_the_kind(client_as, make_statement):
    editor = client_as(Role.EDITOR)
    letter = editor.get(f"/statements/{make_statement()}/edit").get_data(as_text=True)
    assert 'name="addressee"' in letter
    for release_field in ("release_type", "embargo_until", "media_contacts-0-name", "dateline"):
        assert f'name="{release_field}"' not in letter
    release_id = make_statement(kind=Kind.PRESS_RELEASE)
    release = editor.get(f"/statements/{release_id}/edit").get_data(as_text=True)
    assert 'name="addressee"' not in release
    assert (
        'name="media_contacts-0-name"' in release and 'name="media_contacts-1-name"' not in release
    )
    # Not embargoed: the embargo fields are there for the script, but hidden.
    assert re.search(r'<div class="row" data-embargo\s+hidden>', release)
    assert 'list="timezones"' in release and release.count("<option value=") > 400


def test_fields_of_another_kind_are_ignored_and_kept(app, client_as, make_statement):
    statement_id = make_statement(addressee="Dear Senators")
    editor = client_as(Role.EDITOR)
    data = form_data(body="New words.", dateline="CHICAGO", release_type="embargoed")
    assert editor.post(f"/statements/{statement_id}/edit", data=data).status_code == 302
    with app.app_context():
        version = db.session.scalar(select(StatementVersion).filter_by(number=2))
        assert (version.dateline, version.release_type.value) == ("", "immediate")
        assert version.addressee == ""  # shown on letters, sent blank: cleared as typed


def test_media_contacts_are_not_limited_to_three(app, client_as, make_statement):
    statement_id = make_statement(kind=Kind.PRESS_RELEASE)
    editor = client_as(Role.EDITOR)
    contacts = {f"media_contacts-{i}-name": f"Contact {i}" for i in range(6)}
    assert (
        editor.post(f"/statements/{statement_id}/edit", data=form_data(**contacts)).status_code
        == 302
    )
    with app.app_context():
        version = db.session.scalar(select(StatementVersion).filter_by(number=2))
        assert [c["name"] for c in version.media_contacts] == [f"Contact {i}" for i in range(6)]
    page = editor.get(f"/statements/{statement_id}/edit").get_data(as_text=True)
    assert 'name="media_contacts-6-name"' in page  # one empty row to add another


def test_an_unknown_time_zone_is_refused(app, client_as, make_statement):
    statement_id = make_statement(kind=Kind.PRESS_RELEASE)
    editor = client_as(Role.EDITOR)
    data = form_data(
        release_type="embargoed", embargo_until="2026-12-03T09:00", embargo_timezone="Mars/Olympus"
    )
    response = editor.post(f"/statements/{statement_id}/edit", data=data)
    assert response.status_code == 422
    assert "Choose a time zone from the list" in response.get_data(as_text=True)
    assert version_count(app, statement_id) == 1


def test_the_whole_document_preview_is_typeset(client_as, make_statement):
    editor = client_as(Role.EDITOR)
    data = form_data(
        preview_kind="press_release",
        title="Release headline",
        release_type="embargoed",
        embargo_until="2026-12-03T09:00",
        embargo_timezone="Europe/Berlin",
        dateline="BERLIN",
        boilerplate="About the Forward Project.",
        **{"media_contacts-0-name": "Jo Reyes", "media_contacts-0-phone": "12"},
    )
    html = editor.post("/statements/preview/document", data=data).get_data(as_text=True)
    assert "Release headline" in html
    assert "EMBARGOED UNTIL December 3, 2026, 9:00 AM CET" in html
    assert "BERLIN" in html and "About the Forward Project." in html and "Jo Reyes" in html
    assert "press-assets/styles/press.css" in html
    letter = editor.post(
        "/statements/preview/document", data={**data, "preview_kind": "coalition_letter"}
    ).get_data(as_text=True)
    assert "EMBARGOED" not in letter and "Jo Reyes" not in letter
