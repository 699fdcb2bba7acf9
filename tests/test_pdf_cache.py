"""pdf_for_version: the contract other features use, and its cache."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.pdfs import services
from campaign.pdfs.models import CachedPdf
from campaign.statements.models import Kind, Statement
from press.documents import COALITION_LETTER, Document, Letterhead, Signatory, SignatoryGroup
from tests.support.pdfs import pdf_text


def _head_id(app, statement_id):
    with app.app_context():
        return db.session.get(Statement, statement_id).head.id


def _renders(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CachedPdf))


def test_pdf_for_version_renders_once_then_serves_from_cache(app, make_statement):
    version_id = _head_id(app, make_statement(Kind.PRESS_RELEASE, title="Hearing now"))
    with app.app_context():
        first = services.pdf_for_version(version_id)
        second = services.pdf_for_version(version_id)
    assert first == second
    assert first.filename == "hearing-now-v1.pdf"
    assert first.sha256 == hashlib.sha256(first.data).hexdigest()
    assert "FOR IMMEDIATE RELEASE" in pdf_text(first.data)
    assert _renders(app) == 1


def test_cover_note_and_letterhead_change_the_pdf(app, make_statement):
    version_id = _head_id(app, make_statement())
    with app.app_context():
        plain = services.pdf_for_version(version_id)
        noted = services.pdf_for_version(version_id, cover_note="Signed by 142 organizations")
    app.config["LETTERHEAD_NAME"] = "Another Issuer"  # read by the next app context
    with app.app_context():
        other = services.pdf_for_version(version_id)
    assert len({plain.sha256, noted.sha256, other.sha256}) == 3
    assert "Signed by 142 organizations" in pdf_text(noted.data)
    assert "Another Issuer" in pdf_text(other.data)
    assert _renders(app) == 3


def test_unknown_version_is_refused(app):
    with app.app_context(), pytest.raises(services.UnknownVersion):
        services.pdf_for_version(999_999)


def test_only_the_newest_renders_of_a_version_are_kept(app, make_statement):
    version_id = _head_id(app, make_statement())
    with app.app_context():
        notes = [f"Signed by {n} organizations" for n in range(services.KEEP_PER_VERSION + 2)]
        for note in notes:
            services.pdf_for_version(version_id, cover_note=note)
        kept = db.session.scalars(select(CachedPdf.id).order_by(CachedPdf.id)).all()
    assert len(kept) == services.KEEP_PER_VERSION
    assert kept == list(range(3, 3 + services.KEEP_PER_VERSION))


def test_the_cache_key_covers_everything_that_shapes_the_pdf():
    base = Document(kind=COALITION_LETTER, title="T", letterhead=Letterhead("Issuer"))
    one = (SignatoryGroup("", (Signatory("Org A"),)),)
    variants = [
        replace(base, title="T2"),
        replace(base, body="More words."),
        replace(base, cover_note="Signed by 1 organization"),
        replace(base, signatory_groups=one),
        replace(base, signatory_groups=(SignatoryGroup("", (Signatory("Org A", "Dayton"),)),)),
        replace(base, signatory_groups=(SignatoryGroup("", (Signatory("Org A", "", 1),)),)),
        replace(base, letterhead=Letterhead("Issuer", "1 Main St")),
        replace(base, letterhead=Letterhead("Issuer", logo=b"logo one")),
        replace(base, letterhead=Letterhead("Issuer", logo=b"logo two")),
    ]
    keys = {services.cache_key(document) for document in (base, *variants)}
    assert len(keys) == 1 + len(variants)
    assert services.cache_key(replace(base)) == services.cache_key(base)
