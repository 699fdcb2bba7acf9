"""The journalist-grade email: plain text from Markdown, dateline run-in, embargo banner,
contacts with tel:/mailto:, DKIM signature that verifies, Message-ID on the sending domain;
and the deliverability page with a fake resolver."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from email import message_from_bytes, policy

import dkim

from campaign.auth.roles import Role
from campaign.statements.models import Kind, ReleaseType
from press.plaintext import markdown_to_text
from tests.support.distribution import drain

SENDER_DOMAIN = "example.org"  # of the default MAIL_FROM


def test_plain_text_reads_like_prose():
    text = markdown_to_text(
        "Groups **welcomed** the _ruling_; see [the ruling](https://court.example/r).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n"
    )
    assert text == (
        "Groups *welcomed* the _ruling_; see the ruling <https://court.example/r>.\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n"
    )


def test_the_email_has_banner_dateline_contacts_and_a_verifying_dkim_signature(
    app, tmp_path, make_user, make_statement, contact_list
):
    from campaign.distribution.services import Request, create_distribution
    from campaign.extensions import db
    from tests.support.signon import publish_head

    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    app.config.update(
        DKIM_SELECTOR="desk", DKIM_DOMAIN=SENDER_DOMAIN, DKIM_PRIVATE_KEY_PATH=str(key)
    )
    app.config.update(
        DISTRIBUTION_RATE_PER_MINUTE=0, MAIL_BACKEND="outbox", OUTBOX_DIR=str(tmp_path / "out")
    )
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(
        kind=Kind.PRESS_RELEASE,
        title="Court halts the river permit",
        body="Groups **welcomed** the ruling.\n\nA second paragraph.",
        author=editor,
        dateline="RIVERTON",
        release_type=ReleaseType.EMBARGOED,
        embargo_until=datetime(2030, 1, 5, 14, 0, tzinfo=UTC),
        media_contacts=(("Ana Ruiz", "+12025550143", "ana@org.example"),),
    )
    publish_head(app, statement_id, editor, approver, publish=False)
    list_id = contact_list(1)
    with app.app_context():
        from campaign.site.services import save_profile
        from campaign.statements.models import Statement

        profile = {
            "name": "River Coalition",
            "postal_address": "1 Main Street\nRiverton, ST 00001",
            "logo": _png(),
            "logo_mime_type": "image/png",
        }
        save_profile(None, profile)

        version_id = db.session.get(Statement, statement_id).head.id  # approved, embargoed
        officer = make_user(Role.PRESS_OFFICER)
        dist, _ = create_distribution(
            Request(version_id, [list_id], "Court halts permit", "press@org.example"),
            db.session.merge(officer),
        )
        drain(app, dist.id)
    [path] = (tmp_path / "out").iterdir()
    raw = path.read_bytes().replace(b"\n", b"\r\n")  # as it goes on the wire
    message = message_from_bytes(raw, policy=policy.default)

    def dns(name, timeout=5):
        assert name == f"desk._domainkey.{SENDER_DOMAIN}.".encode()
        import base64

        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    assert dkim.verify(raw, dnsfunc=dns)
    assert message["Message-ID"].endswith(f"@{SENDER_DOMAIN}>")
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert html.index("EMBARGOED UNTIL") < html.index("Court halts the river permit")
    assert 'href="tel:+12025550143"' in html and 'href="mailto:ana@org.example"' in html
    assert "RIVERTON</strong> — Groups <strong>welcomed</strong>" in html
    assert "RIVERTON — Groups *welcomed* the ruling." in text
    assert "*** EMBARGOED UNTIL" in text and "###" in text
    assert "@@" not in html and "@@" not in text  # every placeholder was filled in
    assert 'src="http://localhost/organization/logo"' in html and "River Coalition" in html
    assert "1 Main Street · Riverton, ST 00001" in html and "Riverton, ST 00001" in text
    assert html.count("/unsubscribe/") == 1 and "Dear Reporter 0," in html


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#1f5f8b").save(buffer, "PNG")
    return buffer.getvalue()


def test_deliverability_page_says_what_is_missing(app, client_as):
    records = {
        "example.org": ["v=spf1 include:_spf.mail.example ~all", "google-site-verification=x"],
        "_dmarc.example.org": [],
    }
    app.extensions["deliverability.txt"] = lambda name: records.get(name, [])
    try:
        page = client_as(Role.PRESS_OFFICER).get("/deliverability").text
    finally:
        del app.extensions["deliverability.txt"]
    assert "v=spf1 include:_spf.mail.example ~all" in page
    assert "Emails are not DKIM-signed" in page
    assert "No DMARC policy at _dmarc.example.org" in page
