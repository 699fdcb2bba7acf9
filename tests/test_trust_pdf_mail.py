"""PDFs link only to the web, load only their own assets, break every long word and stop
at a time limit; text bound for mail headers is one line, and an unbuildable mail fails."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import send_queued
from campaign.signon.models import Signature
from campaign.statements.models import StatementVersion
from press.documents import (
    COALITION_LETTER,
    Contact,
    Document,
    Letterhead,
    Signatory,
    SignatoryGroup,
)
from press.render import ROOT, print_html, render_pdf
from press.safety import PackageAssetsOnly, RenderTimeout
from tests.test_signon_public import form
from tests.test_statements_editing import form_data

LINKS = "[site](/s/a-letter) [up](../../../etc/passwd) [file](file:///etc/passwd) [web](https://example.org/x)"


def _document(**fields: object) -> Document:
    values: dict = {
        "kind": COALITION_LETTER,
        "title": "Reject the bill",
        "letterhead": Letterhead("Harbor Families Alliance"),
        "body": "We oppose the bill.",
    }
    return Document(**(values | fields))


def _link_targets(pdf: bytes) -> list[str]:
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_relative_links_point_at_the_public_site_and_file_links_never_appear():
    pdf = render_pdf(_document(body=LINKS), link_base="https://desk.example.org")
    targets = _link_targets(pdf)
    assert "https://desk.example.org/s/a-letter" in targets
    assert "https://example.org/x" in targets
    assert not [t for t in targets if t.startswith("file:") or ("passwd" in t and "desk" not in t)]


def test_without_a_public_site_relative_links_are_dropped():
    targets = _link_targets(render_pdf(_document(body=LINKS)))
    assert targets == ["https://example.org/x"]


@pytest.mark.parametrize(
    "path",
    [
        "fonts/%2e%2e/%2e%2e/pyproject.toml",
        "fonts/../templates/letter.html",
        "styles/%2E%2E/render.py",
        "fonts/..%2f..%2fpyproject.toml",
    ],
)
def test_the_resource_loader_stays_inside_its_folders(path):
    fetcher = PackageAssetsOnly((ROOT / "fonts", ROOT / "styles"))
    with pytest.raises(ValueError):
        fetcher.fetch(ROOT.as_uri() + "/" + path)
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_the_resource_loader_serves_its_own_stylesheet():
    fetcher = PackageAssetsOnly((ROOT / "fonts", ROOT / "styles"))
    response = fetcher.fetch((ROOT / "styles" / "press.css").as_uri())
    assert response is not None


def test_every_long_word_in_a_document_is_breakable():
    word = "W" * 3000
    document = _document(
        title=word,
        subtitle=word,
        addressee=word,
        body=f"{word}\n\n**{word}**",
        closing=word,
        letterhead=Letterhead(word, word),
        signatory_groups=(SignatoryGroup(word, (Signatory(word, word),)),),
        media_contacts=(Contact(word, "", ""),),
        boilerplate=word,
    )
    body = print_html(document).split("<body", 1)[1].split(">", 1)[1]
    text = re.sub(r"<[^>]+>", " ", body)
    assert not re.search(r"[^\s\u200b]{17,}", text)


def test_a_render_past_its_limit_stops_with_a_clear_error():
    with pytest.raises(RenderTimeout, match="longer than"):
        render_pdf(_document(body="word " * 20_000), time_limit=0.05)


def test_the_download_route_reports_a_render_past_its_limit(app, client_as, make_statement):
    statement_id = make_statement(body="word " * 20_000)
    app.config["PDF_RENDER_TIME_LIMIT"] = 0.05
    response = client_as(Role.VIEWER).get(f"/statements/{statement_id}/versions/1/pdf")
    assert response.status_code == 503
    assert b"could not be made" in response.data


def test_line_breaks_in_titles_and_names_are_removed_on_save(
    app, client, client_as, open_statement
):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    title = "Reject it\r\nBcc: everyone@example.org"
    editor.post(f"/statements/{statement_id}/edit", data=form_data(1, title=title))
    with app.app_context():
        stored = db.session.query(StatementVersion).filter_by(number=2).one().title
    assert stored == "Reject it Bcc: everyone@example.org"
    client.post(f"/s/{slug}/sign", data=form(organization="Acme\nBcc: x@example.org"))
    with app.app_context():
        signature = db.session.query(Signature).one()
        assert "\n" not in signature.organization
        mail = db.session.query(OutgoingMail).one()
        assert "\n" not in mail.subject and "\r" not in mail.subject


def test_a_message_that_cannot_be_built_fails_with_the_reason(app):
    with app.app_context():
        mail = OutgoingMail(
            purpose="test", to_address="a@example.org", subject="Bad\nBcc: x", text_body="."
        )
        db.session.add(mail)
        db.session.commit()
        send_queued(mail.id)
        db.session.refresh(mail)
        assert mail.status is MailStatus.FAILED
        assert "could not be built" in mail.last_error
