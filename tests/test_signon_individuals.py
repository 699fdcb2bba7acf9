"""Individuals and organizations on one letter: listed and counted apart everywhere."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.pdfs import services as pdfs
from campaign.signon.models import Signature, SignerKind, Signers
from campaign.statements.models import Statement
from tests.support.pdfs import pdf_text
from tests.test_signon_public import form


def person(**overrides):
    data = form(
        signer_kind="individual",
        organization="",
        contact_name="Jane Ortiz",
        contact_email="jane@ortiz.example.org",
        person_title="Professor of Public Health",
        affiliation="Millbrook University",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _confirm_all(app, client):
    with app.app_context():
        texts = [m.text_body for m in db.session.scalars(select(OutgoingMail))]
    for text in texts:
        found = re.search(r"http://localhost(/signon/confirm/\S+)", text)
        if found:
            client.post(found.group(1))


def _signatures(app, statement_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Signature).filter_by(statement_id=statement_id).order_by(Signature.id)
        )
        return [(s.organization, s.kind, s.organization_id) for s in rows]


def test_editor_opens_a_letter_to_individuals_too(app, client_as, open_statement):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    editor.post(
        f"/statements/{statement_id}/signon",
        data={
            "open": "y",
            "grouping": "none",
            "signers": "both",
            "min_count_to_show": "0",
            "deadline_timezone": "UTC",
        },
    )
    page = editor.get(f"/s/{slug}/sign").text
    assert "As an individual" in page and "signon-kind.js" in page


def test_both_are_listed_and_counted_apart_on_page_pdf_and_export(
    app, client, client_as, open_statement
):
    statement_id, slug = open_statement(signers=Signers.BOTH)
    client.post(f"/s/{slug}/sign", data=form())
    client.post(f"/s/{slug}/sign", data=person())
    _confirm_all(app, client)
    [(_, org_kind, org_id), (name, kind, person_org)] = _signatures(app, statement_id)
    assert (org_kind, kind, name) == (SignerKind.ORGANIZATION, SignerKind.INDIVIDUAL, "Jane Ortiz")
    assert org_id is not None and person_org is None  # people are not directory records
    public = client.get(f"/s/{slug}").text
    assert "1 organization and 1 individual" in public
    assert "Professor of Public Health, Millbrook University" in public
    assert "identification only" in public
    with app.app_context():
        version_id = db.session.get(Statement, statement_id).head.id
        text = pdf_text(pdfs.pdf_for_version(version_id).data)
    assert "Signatories (1 organization and 1 individual)" in text
    assert "INDIVIDUALS (AFFILIATIONS FOR IDENTIFICATION ONLY)" in text.replace("\n", " ").upper()
    exported = client_as(Role.EDITOR).get(f"/statements/{statement_id}/signatories-public.csv")
    assert "Signed as" in exported.text and "individual,Professor of Public Health" in exported.text


def test_individuals_are_deduplicated_by_email_only(app, client, open_statement):
    statement_id, slug = open_statement(signers=Signers.INDIVIDUALS)
    client.post(f"/s/{slug}/sign", data=person(signer_kind=None))
    again = client.post(f"/s/{slug}/sign", data=person(contact_name="J. Ortiz"))
    assert "please check your email" in again.text  # the same answer as a new signature
    namesake = client.post(f"/s/{slug}/sign", data=person(contact_email="jane@other.example.org"))
    assert "please check your email" in namesake.text
    assert [n for n, _, _ in _signatures(app, statement_id)] == ["Jane Ortiz", "Jane Ortiz"]


def test_organizations_only_letters_ignore_a_forged_individual(app, client, open_statement):
    statement_id, slug = open_statement()
    refused = client.post(f"/s/{slug}/sign", data=person())
    assert refused.status_code == 422 and "Enter your organization" in refused.text
    assert _signatures(app, statement_id) == []
    client.post(f"/s/{slug}/sign", data=person(organization="Ortiz Foundation"))
    [(name, kind, _)] = _signatures(app, statement_id)
    assert (name, kind) == ("Ortiz Foundation", SignerKind.ORGANIZATION)
