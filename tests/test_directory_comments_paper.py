""" "Why we sign" comments shown after approval; the printable sheet and paper entries."""

from __future__ import annotations

from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon.models import Signature, SignatureStatus
from tests.support.pdfs import pdf_text
from tests.test_signon_public import form, link_in, mails_to

WHY = "Because treatment works & prisons don't <b>."


def test_comments_show_publicly_only_after_approval(app, client, client_as, open_statement):
    statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form(comment=WHY))
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    client.post(link_in(text, "confirm"))
    assert "Because treatment works" not in client.get(f"/s/{slug}").text
    editor = client_as(Role.EDITOR)
    review = editor.get(f"/statements/{statement_id}/comments").text
    assert "Because treatment works &amp; prisons don&#39;t &lt;b&gt;." in review
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id))
    assert (
        client_as(Role.VIEWER)
        .post(f"/statements/{statement_id}/comments/{signature_id}", data={"decision": "approve"})
        .status_code
        == 403
    )
    editor.post(f"/statements/{statement_id}/comments/{signature_id}", data={"decision": "approve"})
    public = client.get(f"/s/{slug}").text
    assert "Why we sign" in public and "prisons don&#39;t &lt;b&gt;." in public
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).filter_by(action="signature.comment_approved"))
        db.session.get(Signature, signature_id).status = SignatureStatus.WITHDRAWN
        db.session.commit()
    assert "Because treatment works" not in client.get(f"/s/{slug}").text


def test_comment_length_is_limited(app, client, open_statement):
    _, slug = open_statement()
    refused = client.post(f"/s/{slug}/sign", data=form(comment="x" * 1001))
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Signature.id)) is None


def test_sheet_pdf_and_typed_in_paper_signatures(app, client, client_as, open_statement):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    sheet = editor.get(f"/statements/{statement_id}/sheet/pdf")
    assert sheet.mimetype == "application/pdf"
    text = pdf_text(sheet.data)
    assert "Stop the sentencing bill" in text and f"/s/{slug}/sign" in text
    added = editor.post(
        f"/statements/{statement_id}/sheet",
        data={
            "name": "Lakeside Tenants Union",
            "contact_name": "Lee Park",
            "city": "Dayton",
            "region": "OH",
        },
        follow_redirects=True,
    )
    assert "added as a paper signature" in added.text
    again = editor.post(
        f"/statements/{statement_id}/sheet",
        data={"name": "The Lakeside Tenants Union, Inc."},
        follow_redirects=True,
    )
    assert "has already signed" in again.text
    bad = editor.post(
        f"/statements/{statement_id}/sheet",
        data={"name": "Somebody", "email": "not an email"},
        follow_redirects=True,
    )
    assert "email" in bad.text.lower()
    with app.app_context():
        [signature] = db.session.scalars(select(Signature)).all()
        assert signature.paper and signature.status is SignatureStatus.CONFIRMED
        assert signature.organization_id is not None  # in the directory like any other
    assert "Lakeside Tenants Union" in client.get(f"/s/{slug}").text
    assert (
        client_as(Role.VIEWER)
        .post(f"/statements/{statement_id}/sheet", data={"name": "X"})
        .status_code
        == 403
    )
