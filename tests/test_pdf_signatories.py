"""The signatory list in a letter's PDF: exactly the listed signers, each once, kept current."""

from __future__ import annotations

import re

from campaign.extensions import db
from campaign.pdfs import services
from campaign.signon.models import Grouping, Scope, Signature, SignatureStatus
from campaign.statements.content import Content
from campaign.statements.models import Statement
from campaign.statements.services import get_version, save_version
from tests.support.pdfs import pdf_text

PENDING, WITHDRAWN, REJECTED = (
    SignatureStatus.PENDING,
    SignatureStatus.WITHDRAWN,
    SignatureStatus.REJECTED,
)


def _pdf(app, statement_id, **kwargs):
    with app.app_context():
        version_id = db.session.get(Statement, statement_id).head.id
        return services.pdf_for_version(version_id, **kwargs)


def _count(text, name):
    return len(re.findall(re.escape(name), text))


def test_confirmed_signatories_appear_exactly_once_and_no_one_else(
    app, open_statement, add_signature
):
    statement_id, _ = open_statement(grouping=Grouping.SCOPE)
    confirmed = [f"Riverside Tenants Union {n}" for n in range(30)]
    for n, name in enumerate(confirmed):
        scope = Scope.NATIONAL if n % 2 else Scope.STATE_LOCAL
        add_signature(statement_id, name, city="Dayton", region="OH", scope=scope)
    add_signature(statement_id, "Pending Pantry Network", PENDING)
    add_signature(statement_id, "Withdrawn Legal Aid", WITHDRAWN)
    add_signature(statement_id, "Rejected Spam Org", REJECTED)

    text = pdf_text(_pdf(app, statement_id).data)
    for name in confirmed:
        assert _count(text, name + ",") == 1, name
    for absent in ("Pending Pantry", "Withdrawn Legal", "Rejected Spam"):
        assert absent not in text
    assert "Signatories (30 organizations)" in text
    assert text.index("NATIONAL (15)") < text.index("STATE AND LOCAL (15)")


def test_approval_required_lists_only_approved(app, open_statement, add_signature):
    statement_id, _ = open_statement(requires_approval=True)
    add_signature(statement_id, "Approved Alliance", SignatureStatus.APPROVED)
    add_signature(statement_id, "Merely Confirmed Coop", SignatureStatus.CONFIRMED)
    text = pdf_text(_pdf(app, statement_id).data)
    assert "Approved Alliance" in text
    assert "Merely Confirmed" not in text


def test_new_signature_and_withdrawal_each_yield_a_new_pdf(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "First Signer Fund")
    first = _pdf(app, statement_id)
    assert _pdf(app, statement_id) == first

    later_id = add_signature(statement_id, "Later Signer League")
    second = _pdf(app, statement_id)
    assert second.sha256 != first.sha256
    assert "Later Signer League" in pdf_text(second.data)

    with app.app_context():
        db.session.get(Signature, later_id).status = WITHDRAWN
        db.session.commit()
    third = _pdf(app, statement_id)
    assert "Later Signer League" not in pdf_text(third.data)
    # The same names as the first PDF, but under a new signed root (#3) chained to #2: the
    # withdrawal stays in the letter's history (campaign/attest).
    assert third.sha256 != first.sha256
    assert "root #3" in pdf_text(third.data) and "root #1" in pdf_text(first.data)


def test_signers_of_an_earlier_text_are_marked_on_a_newer_version(
    app, open_statement, add_signature
):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Early Signer Guild")
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        save_version(statement, statement.head_number, Content(title="Revised", body="New."), None)
    newer = pdf_text(_pdf(app, statement_id).data)
    assert "Early Signer Guild†" in newer
    assert "Signed an earlier version of this text." in newer
    with app.app_context():
        first = db.session.get(Statement, statement_id).head.number - 1
        version_id = get_version(db.session.get(Statement, statement_id), first).id
        older = pdf_text(services.pdf_for_version(version_id).data)
    assert "Early Signer Guild" in older
    assert "†" not in older


def test_a_repeat_download_remembered_by_its_rows_still_follows_every_change(
    app, client_as, open_statement, add_signature
):
    """The download route serves a repeat from the rows' fingerprint (pdfs/fingerprint.py)
    without building the document; each change to the list must still reach the PDF."""
    statement_id, _ = open_statement()
    first_id = add_signature(statement_id, "First Signer Fund")
    client = client_as()
    url = f"/statements/{statement_id}/versions/1/pdf"

    def download():
        response = client.get(url)
        assert response.status_code == 200
        return response.data, pdf_text(response.data)

    first, text = download()
    assert "First Signer Fund" in text
    assert download()[0] == first

    later_id = add_signature(statement_id, "Later Signer League")
    assert "Later Signer League" in download()[1]
    with app.app_context():
        db.session.get(Signature, first_id).display_name = "Renamed Signer Fund"
        db.session.get(Signature, later_id).status = WITHDRAWN
        db.session.commit()
    _, text = download()
    assert "Renamed Signer Fund" in text and "Later Signer League" not in text
    with app.app_context():
        db.session.get(Signature, first_id).display_name = ""
        db.session.commit()
    _, text = download()
    assert "First Signer Fund" in text and "Renamed Signer Fund" not in text
