"""Issue 15, "any screen, any port": the favicon, the links the app generates on another port
than 5000, the warning when the public base URL does not point at the server, and the
sign-on form reachable from the top of its page."""

from __future__ import annotations

import io
import logging

import pytest
from flask import Flask
from pypdf import PdfReader

from campaign import create_app
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail

BASE = "http://127.0.0.1:5063"


def test_favicon_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<svg")


def test_embed_snippet_and_public_page_link_use_the_configured_port(app, client_as, open_statement):
    app.config["PUBLIC_BASE_URL"] = BASE
    statement_id, slug = open_statement()
    page = client_as(Role.EDITOR).get(f"/statements/{statement_id}/signon").get_data(as_text=True)
    assert f'href="{BASE}/s/{slug}/sign"' in page
    assert f'&lt;iframe src="{BASE}/s/{slug}/embed"' in page
    # The resize script of the snippet trusts messages from that origin only.
    assert f'event.origin !== "{BASE}"' in page
    assert ":5000" not in page


def test_sign_on_confirmation_mail_links_to_the_configured_port(app, client, open_statement):
    app.config["PUBLIC_BASE_URL"] = BASE
    _, slug = open_statement()
    client.post(
        f"/s/{slug}/sign",
        data={
            "organization": "Riverbend Recovery Network",
            "org_type": "service_provider",
            "scope": "state_local",
            "city": "Millbrook",
            "country": "United States",
            "contact_name": "Dana Whitfield",
            "contact_email": "dana@riverbend.example.org",
            "consent": "y",
        },
    )
    with app.app_context():
        mail = db.session.query(OutgoingMail).filter_by(purpose="signon.confirm").one()
    assert f"{BASE}/signon/confirm/" in mail.text_body
    assert ":5000" not in mail.text_body


def _warnings_served_at(
    app: Flask, monkeypatch: pytest.MonkeyPatch, public_base_url: str, host: str
) -> list[str]:
    """The PUBLIC_BASE_URL warnings of one request to a new app given `public_base_url` by
    the environment, as `make run` does (so an address saved on the settings page by another
    test does not count), arriving at `host`. Read from the app's own logger, not the root
    logger, which another test of the same process may have reconfigured."""
    monkeypatch.setenv("PUBLIC_BASE_URL", public_base_url)
    settings = {k: v for k, v in app.config.items() if k != "SETTINGS_FROM_ENVIRONMENT"}
    fresh = create_app(settings | {"PUBLIC_BASE_URL": public_base_url})
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    fresh.logger.addHandler(handler)
    try:
        fresh.test_client().get("/auth/login", base_url=f"http://{host}")
    finally:
        fresh.logger.removeHandler(handler)
        with fresh.app_context():
            db.engine.dispose()  # its own pool: give the connections back now
    return [r.getMessage() for r in records if "PUBLIC_BASE_URL" in r.getMessage()]


def test_a_mismatched_public_base_url_is_logged_on_the_first_request(app, monkeypatch):
    [warning] = _warnings_served_at(app, monkeypatch, "http://127.0.0.1:5000", "127.0.0.1:5063")
    assert "127.0.0.1:5000" in warning and "127.0.0.1:5063" in warning


def test_a_matching_public_base_url_is_not_warned_about(app, monkeypatch):
    assert not _warnings_served_at(app, monkeypatch, BASE, "127.0.0.1:5063")
    assert not _warnings_served_at(app, monkeypatch, "http://localhost:5063/", "127.0.0.1:5063")


def test_the_sign_on_form_is_reachable_from_the_top_of_its_page(client, open_statement):
    """At phone width the text above the form is thousands of pixels long; a link opened
    without its #sign anchor must not leave the signer scrolling for it."""
    _, slug = open_statement()
    page = client.get(f"/s/{slug}/sign").get_data(as_text=True)
    assert page.index('href="#sign"') < page.index('class="document prose"')
    assert 'id="sign"' in page


def _link_targets(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


def test_a_pdf_links_to_the_port_served_now_not_the_one_it_was_first_rendered_for(
    app, client_as, make_statement
):
    """PDFs are cached; the same version downloaded after a move to another port must not
    come from the cache with links to the old one."""
    statement_id = make_statement(body="Read [the full list](/newsroom) of signatories.")
    staff = client_as(Role.EDITOR)
    url = f"/statements/{statement_id}/versions/1/pdf"
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    assert "http://127.0.0.1:5000/newsroom" in _link_targets(staff.get(url).data)
    app.config["PUBLIC_BASE_URL"] = BASE
    assert f"{BASE}/newsroom" in _link_targets(staff.get(url).data)
