"""Publishing a new version under existing signatures: minor edit or material change."""

from __future__ import annotations

import re

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.signon.listing import listed_signatories
from campaign.signon.models import Signature, SignatureStatus
from campaign.signon.versions import request_reconfirmations
from campaign.statements.content import Content
from campaign.statements.models import Statement, Status
from campaign.statements.services import save_version
from tests.conftest import log_in


def _revise_to_approved(app, statement_id, make_user, body="We oppose the bill entirely."):
    """Save the next version and take it to 'approved'; returns an approver client."""
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        save_version(
            statement,
            statement.head_number,
            Content(title="Stop the sentencing bill", body=body),
            db.session.get(User, editor.id),
        )
        seen = str(statement.head_number)
    editor_client = log_in(app.test_client(), editor)
    approver_client = log_in(app.test_client(), approver)
    editor_client.post(f"/statements/{statement_id}/workflow/submit", data={"seen_version": seen})
    approver_client.post(
        f"/statements/{statement_id}/workflow/approve", data={"seen_version": seen}
    )
    return approver_client


def _publish(client, statement_id, change=None, seen="2"):
    data = {"seen_version": seen}
    if change:
        data["signature_change"] = change
    return client.post(
        f"/statements/{statement_id}/workflow/publish", data=data, follow_redirects=True
    )


def _versions(app, statement_id):
    with app.app_context():
        return {s.name: s.signed_version_number for s in listed_signatories(statement_id)}


def test_publishing_over_signatures_requires_a_choice(
    app, open_statement, add_signature, make_user
):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Anchor Fund")
    approver = _revise_to_approved(app, statement_id, make_user)
    page = approver.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert "1 signature were given for an earlier version" in page
    assert 'name="signature_change" value="material"' in page
    refused = _publish(approver, statement_id)
    assert b"choose whether this is a minor edit or a material change" in refused.data
    with app.app_context():
        assert db.session.get(Statement, statement_id).status is Status.APPROVED


def test_minor_edit_carries_signatures_over(app, client, open_statement, add_signature, make_user):
    statement_id, slug = open_statement()
    add_signature(statement_id, "Anchor Fund")
    approver = _revise_to_approved(app, statement_id, make_user)
    assert (
        b"Publish: the statement is now published" in _publish(approver, statement_id, "minor").data
    )
    assert _versions(app, statement_id) == {"Anchor Fund": 2}
    assert b"Signed an earlier version" not in client.get(f"/s/{slug}").data
    with app.app_context():
        assert db.session.query(OutgoingMail).filter_by(purpose="signon.reconfirm").count() == 0


def test_material_change_asks_signers_to_reconfirm(
    app, client, open_statement, add_signature, make_user
):
    statement_id, slug = open_statement()
    add_signature(statement_id, "Anchor Fund", contact_email="ann@anchor.example.org")
    add_signature(statement_id, "Beacon Clinic", contact_email="bo@beacon.example.org")
    approver = _revise_to_approved(app, statement_id, make_user)
    _publish(approver, statement_id, "material")
    assert _versions(app, statement_id) == {"Anchor Fund": 1, "Beacon Clinic": 1}
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert public.count('<span class="earlier" title="Signed an earlier version">*</span>') == 2
    assert public.count("Signed an earlier version of this statement.") == 1
    with app.app_context():
        mails = db.session.query(OutgoingMail).filter_by(purpose="signon.reconfirm").all()
        assert sorted(m.to_address for m in mails) == [
            "ann@anchor.example.org",
            "bo@beacon.example.org",
        ]
        assert request_reconfirmations(statement_id) == 0  # a second run mails nobody again
        text = next(m.text_body for m in mails if m.to_address.startswith("ann"))
    link = re.search(r"http://localhost(/signon/reconfirm/\S+)", text).group(1)
    asked = client.get(link)
    assert b"Yes, we sign the current text" in asked.data
    assert _versions(app, statement_id) == {"Anchor Fund": 1, "Beacon Clinic": 1}  # GET: no
    assert b"now listed as signing the current text" in client.post(link).data
    assert _versions(app, statement_id) == {"Anchor Fund": 2, "Beacon Clinic": 1}
    assert client.post(link).status_code == 200  # following it again is harmless


def test_withdrawn_signatures_are_not_asked(app, open_statement, add_signature, make_user):
    from campaign.signon.models import SignatureStatus

    statement_id, _ = open_statement()
    add_signature(statement_id, "Gone Org", SignatureStatus.WITHDRAWN)
    approver = _revise_to_approved(app, statement_id, make_user)
    assert b"now published" in _publish(approver, statement_id).data


def test_minor_edit_does_not_carry_signers_who_never_reconfirmed(
    app, client, open_statement, add_signature, make_user
):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Anchor Fund", contact_email="ann@anchor.example.org")
    _publish(_revise_to_approved(app, statement_id, make_user), statement_id, "material")
    late_id = add_signature(statement_id, "Late Signer")  # signs version 2 directly
    approver = _revise_to_approved(app, statement_id, make_user, body="We oppose the bill, fully.")
    assert b"now published" in _publish(approver, statement_id, "minor", seen="3").data
    assert _versions(app, statement_id) == {"Anchor Fund": 1, "Late Signer": 3}
    with app.app_context():
        to_ann = db.session.query(OutgoingMail).filter_by(to_address="ann@anchor.example.org")
        texts = [m.text_body for m in to_ann.order_by(OutgoingMail.id)]
        assert db.session.get(Signature, late_id).reconfirm_version_id is None
    assert len(texts) == 2  # asked again, now about version 3
    old, new = (re.search(r"http://localhost(/signon/reconfirm/\S+)", t).group(1) for t in texts)
    assert client.post(old).status_code == 409
    client.post(new)
    assert _versions(app, statement_id) == {"Anchor Fund": 3, "Late Signer": 3}


def test_sweep_mails_reconfirmations_whose_task_was_lost(
    app, open_statement, add_signature, make_user
):
    sweep = app.extensions["celery"].tasks["signon.sweep_reconfirmations"]  # this app's task
    statement_id, _ = open_statement()
    signature_id = add_signature(
        statement_id, "Anchor Fund", contact_email="ann@anchor.example.org"
    )
    _publish(_revise_to_approved(app, statement_id, make_user), statement_id, "material")
    with app.app_context():
        db.session.get(Signature, signature_id).reconfirm_requested_at = None  # as if lost
        db.session.commit()
        assert sweep() == 1
        mails = db.session.query(OutgoingMail).filter_by(purpose="signon.reconfirm").count()
        assert mails == 2
        assert sweep() == 0


def test_material_change_counts_and_asks_only_listed_signers(
    app, client, open_statement, add_signature, make_user
):
    statement_id, slug = open_statement()
    add_signature(statement_id, "Anchor Fund", contact_email="ann@anchor.example.org")
    add_signature(
        statement_id, "Pending Place", SignatureStatus.PENDING, contact_email="pp@x.example.org"
    )
    approver = _revise_to_approved(app, statement_id, make_user)
    page = approver.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert "1 signature were given for an earlier version" in page
    assert "1 organization<" in client.get(f"/s/{slug}").get_data(as_text=True)
    _publish(approver, statement_id, "material")
    with app.app_context():
        mails = db.session.query(OutgoingMail).filter_by(purpose="signon.reconfirm").all()
        assert [m.to_address for m in mails] == ["ann@anchor.example.org"]
