"""The CSV import through the test client: columns, preview, per-line errors, commit.

Bad input (the issue's list): broken encoding, missing columns, invalid emails and phones,
1 MB lines; each is reported clearly and nothing is half-written.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.contacts.imports import writing
from campaign.contacts.imports.service import prepare
from campaign.contacts.imports.writing import ImportFailed, OnDuplicate, write
from campaign.contacts.models import Contact
from campaign.contacts.services import create_contact
from campaign.extensions import db
from tests.support.contacts_csv import choose_columns, preselected, upload

Client = Callable[..., FlaskClient]

GOOD = (
    "Full name;E-mail address;Publication;Telephone;Labels;Notes\n"
    "Ana Abara;ana@metro.example;Metro Wire;(202) 555-0143;climate, tv;\n"
    'Ben Brandt;ben@valley.example;Valley Times;;health;"Prefers calls\nafter 10"\n'
    "Cy Costa;not-an-address;Metro Wire;;;\n"
    "Dee Dahl;dee@harbor.example;Harbor Radio;12345;;\n"
    "Ana A.;ANA@metro.example;;;national;\n"
    ";nameless@harbor.example;;;;\n"
)


def contact_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Contact.id)))


@pytest.fixture(autouse=True)
def _own_import_dir(import_dir: Path) -> Path:
    return import_dir


def test_preview_shows_line_errors_then_imports_the_rest_in_one_go(
    app: Flask, client_as: Client, import_dir: Path
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, GOOD.encode())
    page = press.get(columns_url).get_data(as_text=True)
    assert "Full name, E-mail address, Publication, Telephone, Labels, Notes" in page
    guessed = preselected(page)
    assert guessed["name"] == "0" and guessed["email"] == "1" and guessed["outlet"] == "2"
    assert guessed["phone"] == "3" and guessed["tags"] == "4" and guessed["city"] == ""

    assert choose_columns(press, columns_url).status_code == 302
    preview_url = columns_url + "/preview"
    page = press.get(preview_url).get_data(as_text=True)
    assert "<td>5</td><td>invalid email “not-an-address”" in page, "Ben's record spans 3-4"
    assert "<td>6</td><td>invalid phone: “12345”" in page
    assert "<td>8</td><td>name is missing</td>" in page
    assert contact_count(app) == 0, "the preview writes nothing"

    refused = press.post(preview_url, data={"on_duplicate": "merge"}, follow_redirects=True)
    assert "Some lines have errors" in refused.get_data(as_text=True)
    assert contact_count(app) == 0

    done = press.post(
        preview_url, data={"on_duplicate": "merge", "skip_invalid": "y"}, follow_redirects=True
    )
    assert "2 contacts created" in done.get_data(as_text=True)
    with app.app_context():
        ana = db.session.scalar(select(Contact).where(Contact.email_key == "ana@metro.example"))
        assert (ana.name, ana.phone, ana.tags) == (
            "Ana A.",
            "+12025550143",
            ["climate", "national", "tv"],
        )
        ben = db.session.scalar(select(Contact).where(Contact.email_key == "ben@valley.example"))
        assert ben.notes == "Prefers calls\nafter 10"
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "contacts.imported")
        )
        assert event.details["invalid_lines"] == 3 and event.details["file_duplicates"] == 1
    assert list(import_dir.iterdir()) == [], "the upload is deleted once imported"


def test_duplicates_of_existing_contacts_are_merged_or_skipped(
    app: Flask, client_as: Client, make_contact: Callable[..., int]
) -> None:
    make_contact(
        name="Ana Old", email="ana@metro.example", outlet="", tags="radio", do_not_contact="yes"
    )
    data = "name,email,outlet,tags,do_not_contact\nAna New,ana@metro.example,Metro Wire,tv,no\n"
    press = client_as(Role.PRESS_OFFICER)
    for policy in ("skip", "merge"):
        columns_url = upload(press, data.encode())
        choose_columns(press, columns_url, on_duplicate=policy)
        page = press.get(columns_url + "/preview").get_data(as_text=True)
        assert "Already contacts (same email)</th><td>1</td>" in page
        press.post(columns_url + "/preview", data={"on_duplicate": policy})
        with app.app_context():
            ana = db.session.scalar(select(Contact))
            if policy == "skip":
                assert (ana.name, ana.outlet, ana.tags) == ("Ana Old", "", ["radio"])
            else:
                assert (ana.name, ana.outlet, ana.tags) == (
                    "Ana New",
                    "Metro Wire",
                    ["radio", "tv"],
                )
                assert ana.do_not_contact, "an import never clears do-not-contact"
    assert contact_count(app) == 1


def test_broken_encoding_is_reported_and_another_encoding_can_be_chosen(
    app: Flask, client_as: Client
) -> None:
    data = "name,email,city\nJosé Núñez,jose@diario.example,Málaga\n".encode("windows-1252")
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, data)
    page = press.get(columns_url).get_data(as_text=True)
    assert "The file is not valid UTF-8: byte 0xe9 on line 2" in page
    assert "Read the file with this encoding" in page
    page = press.post(columns_url, data={"encoding": "windows-1252"}).get_data(as_text=True)
    assert "Columns found: name, email, city" in page
    choose_columns(press, columns_url, encoding="windows-1252", name=0, email=1, city=2)
    press.post(columns_url + "/preview", data={"on_duplicate": "merge"})
    with app.app_context():
        assert db.session.scalar(select(Contact.name)) == "José Núñez"


def test_utf8_with_a_byte_order_mark_is_read_as_utf8(app: Flask, client_as: Client) -> None:
    data = "\ufeffName,Email\nZoë Ilić,zoe@radio.example\n".encode()
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, data)
    assert preselected(press.get(columns_url).get_data(as_text=True))["name"] == "0"
    choose_columns(press, columns_url)
    press.post(columns_url + "/preview", data={"on_duplicate": "merge"})
    with app.app_context():
        assert db.session.scalar(select(Contact.name)) == "Zoë Ilić"


def test_missing_required_columns_are_named(app: Flask, client_as: Client) -> None:
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, b"name,outlet\nAna,Metro Wire\n")
    page = press.get(columns_url).get_data(as_text=True)
    assert "Choose the column that holds: Email." in page
    response = choose_columns(press, columns_url)
    assert response.status_code == 200
    assert "Choose the column that holds: Email." in response.get_data(as_text=True)
    empty = upload(press, b"")
    assert "The file is empty" in press.get(empty).get_data(as_text=True)
    assert contact_count(app) == 0


def test_one_megabyte_lines_are_reported_by_line(app: Flask, client_as: Client) -> None:
    huge_field = "Ana," + "x" * 1_000_000 + "@metro.example\n"
    many_fields = "Ben,ben@valley.example," + ",".join(["y" * 1000] * 1000) + "\n"
    data = ("name,email\n" + huge_field + many_fields + "Cy,cy@harbor.example\n").encode()
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, data)
    choose_columns(press, columns_url)
    page = press.get(columns_url + "/preview").get_data(as_text=True)
    assert "<td>2</td><td>a field is longer than 131,072 characters</td>" in page
    assert "<td>3</td><td>line is longer than 32,768 characters</td>" in page
    press.post(columns_url + "/preview", data={"on_duplicate": "merge", "skip_invalid": "y"})
    with app.app_context():
        assert db.session.scalars(select(Contact.email)).all() == ["cy@harbor.example"]


def test_a_database_failure_midway_leaves_nothing_written(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"Person {n},p{n}@news.example\n" for n in range(10))
    monkeypatch.setattr(writing, "WRITE_CHUNK", 3)
    with app.app_context():
        analysis = prepare(f"name,email\n{rows}".encode(), None, None)
        create_contact({"name": "Meanwhile", "email": "p8@news.example"}, None)
        analysis.existing.clear()  # as if p8 had been added after the analysis
        with pytest.raises(ImportFailed, match=r"nothing was saved: .*(UNIQUE|unique)"):
            write(analysis, OnDuplicate.MERGE, None, "racy.csv")
        assert db.session.scalars(select(Contact.name)).all() == ["Meanwhile"]


def test_uploads_belong_to_their_uploader(client_as: Client) -> None:
    columns_url = upload(client_as(Role.PRESS_OFFICER), b"name,email\nA,a@b.example\n")
    assert client_as(Role.PRESS_OFFICER).get(columns_url).status_code == 404
    assert client_as(Role.EDITOR).get(columns_url).status_code == 403


def test_export_imports_back_to_the_same_contacts(
    app: Flask, client_as: Client, make_contact: Callable[..., int]
) -> None:
    make_contact(
        name="Ana", email="ana@metro.example", phone="+44 20 7946 0958", tags="tv, climate"
    )
    make_contact(name="Ben", email="ben@valley.example", do_not_contact="yes", notes="=1+1")
    press = client_as(Role.PRESS_OFFICER)
    exported = press.get("/contacts/export.csv").get_data()
    with app.app_context():
        before = [
            (c.name, c.phone, c.tags, c.do_not_contact)
            for c in db.session.scalars(select(Contact).order_by(Contact.name))
        ]
        db.session.query(Contact).delete()
        db.session.commit()
    columns_url = upload(press, exported)
    choose_columns(press, columns_url)
    press.post(columns_url + "/preview", data={"on_duplicate": "merge"})
    with app.app_context():
        after = [
            (c.name, c.phone, c.tags, c.do_not_contact)
            for c in db.session.scalars(select(Contact).order_by(Contact.name))
        ]
    assert after == before


def test_uploads_may_exceed_the_site_wide_cap_up_to_their_own(
    app: Flask, client_as: Client
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    big = b"name,email\n" + b"Ana,ana@metro.example\n" * 500_000  # 11 MB, over MAX_CONTENT_LENGTH
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    assert "/contacts/import/" in upload(press, big), "not refused with 413"
    app.config["CONTACT_IMPORT_MAX_BYTES"] = 1_000_000
    response = press.post(
        "/contacts/import",
        data={"file": (io.BytesIO(big), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_commit_sees_contacts_added_after_the_preview(
    app: Flask, client_as: Client, make_contact: Callable[..., int]
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    columns_url = upload(press, b"name,email\nAna,ana@metro.example\nBen,ben@valley.example\n")
    choose_columns(press, columns_url)
    assert "New contacts</th><td>2</td>" in press.get(columns_url + "/preview").get_data(
        as_text=True
    )
    make_contact(name="Ana Meanwhile", email="ana@metro.example")
    done = press.post(
        columns_url + "/preview", data={"on_duplicate": "skip"}, follow_redirects=True
    )
    assert "1 contact created, 0 merged, 1 existing skipped" in done.get_data(as_text=True)
    with app.app_context():
        assert sorted(db.session.scalars(select(Contact.name))) == ["Ana Meanwhile", "Ben"]
