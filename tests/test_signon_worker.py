"""Sign-on mail through a real Celery worker on Redis to a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest

from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from tests.test_signon_public import form
from tests.test_signon_versions import _publish, _revise_to_approved

pytestmark = pytest.mark.worker


def _link(message, kind):
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"http://localhost(/signon/{kind}/\S+)", body).group(1)


def test_confirmation_mail_arrives_and_its_link_confirms(
    app, client, open_statement, smtp_sink, celery_worker, make_user
):
    statement_id, slug = open_statement()
    celery_worker()
    response = client.post(f"/s/{slug}/sign", data=form())
    assert b"please check your email" in response.data
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "dana@riverbend.example.org"
    assert message["Subject"].startswith("Please confirm your signature")
    assert b"has signed" in client.post(_link(message, "confirm")).data
    assert "Riverbend Recovery Network" in client.get(f"/s/{slug}").get_data(as_text=True)
    confirmed = smtp_sink.wait_for(2)[1]
    assert confirmed["Subject"].startswith("Signature confirmed")

    approver = _revise_to_approved(app, statement_id, make_user)
    _publish(approver, statement_id, "material")
    reconfirm = smtp_sink.wait_for(3)[2]
    assert reconfirm["Subject"].startswith("The text you signed has changed")
    with app.app_context():
        assert [s.signed_version_number for s in listed_signatories(statement_id)] == [1]
    client.post(_link(reconfirm, "reconfirm"))
    with app.app_context():
        assert [s.signed_version_number for s in listed_signatories(statement_id)] == [2]
        db.session.remove()
    assert len(smtp_sink.messages) == 3
