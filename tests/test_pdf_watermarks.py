"""Drafts look like drafts: marked PDFs and print previews, `-draft` file names."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.pdfs.models import CachedPdf
from tests.conftest import log_in
from tests.support.embargo import act
from tests.support.pdfs import pdf_text

DRAFT = "DRAFT - NOT APPROVED"
APPROVED = "APPROVED - NOT YET PUBLISHED"


def _pdf(client, statement_id):
    response = client.get(f"/statements/{statement_id}/versions/1/pdf")
    name = response.headers["Content-Disposition"].split("filename=")[1]
    return name, " ".join(pdf_text(response.data).split())


def _preview(client, statement_id):
    return client.get(f"/statements/{statement_id}/versions/1/print").text


def test_draft_approved_and_published_copies_are_marked_as_such(
    app, make_user, make_statement, client
):
    editor_user, approver_user = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(title="Marked letter", author=editor_user)
    editor, approver = (
        log_in(app.test_client(), editor_user),
        log_in(app.test_client(), approver_user),
    )

    name, text = _pdf(editor, statement_id)
    assert name == "marked-letter-v1-draft.pdf"
    assert text.count(DRAFT) >= 2  # the diagonal watermark and the marked header
    assert DRAFT in _preview(editor, statement_id)

    act(editor, statement_id, "submit", 1)
    act(approver, statement_id, "approve", 1)
    name, text = _pdf(editor, statement_id)
    assert name == "marked-letter-v1-approved.pdf"
    assert APPROVED in text and DRAFT not in text
    assert APPROVED in _preview(editor, statement_id)

    act(approver, statement_id, "publish", 1)
    name, text = _pdf(editor, statement_id)
    assert name == "marked-letter-v1.pdf"
    assert APPROVED not in text and DRAFT not in text
    assert "watermark" not in _preview(editor, statement_id)
    public = client.get(f"/s/{load_slug(app, statement_id)}/pdf")
    assert public.headers["Content-Disposition"].endswith("marked-letter-v1.pdf")
    with app.app_context():  # the marking is part of the cache key: three renders kept
        assert db.session.scalar(select(func.count(CachedPdf.id))) == 3


def load_slug(app, statement_id):
    from tests.conftest import load_statement

    return load_statement(app, statement_id).slug
