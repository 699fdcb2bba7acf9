"""Sending in-process (eager tasks) to a real SMTP sink: content, skips, failures, retries."""

from __future__ import annotations

from campaign import clock
from campaign.distribution.models import DistributionStatus, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.suppression import suppress
from tests.support.distribution import distribution, statuses


def test_each_eligible_contact_gets_one_complete_message(app, smtp_sink, contact_list, distribute):
    now = clock.now()
    list_id = contact_list(
        6, {1: {"do_not_contact": True}, 2: {"unsubscribed_at": now}, 3: {"name": ""}}
    )
    with app.app_context():
        suppress("reporter1-4@news.example", "550 mailbox gone")
        db.session.commit()
    dist_id = distribute([list_id])
    messages = smtp_sink.wait_for(3)
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "reporter1-0@news.example",
        "reporter1-3@news.example",
        "reporter1-5@news.example",
    ]
    first = next(m for m in messages if "reporter1-0" in m["To"])
    assert first["Subject"] == "Ruling welcomed"
    assert first["Reply-To"] == "officer@press.example"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    text = first.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = first.get_body(("html",)).get_content()
    assert text.startswith("FOR IMMEDIATE RELEASE\n")  # the release line comes first
    assert "\nDear Reporter 0,\n" in text
    assert "FOR IMMEDIATE RELEASE" in text and "<strong>welcomed</strong>" in html
    [pdf] = list(first.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    no_name = next(m for m in messages if "reporter1-3" in m["To"])
    assert "\nHello,\r\n" in no_name.get_body(("plain",)).get_content()
    assert statuses(app, dist_id) == {
        "reporter1-0@news.example": RecipientStatus.SENT,
        "reporter1-1@news.example": RecipientStatus.SKIPPED,
        "reporter1-2@news.example": RecipientStatus.SKIPPED,
        "reporter1-3@news.example": RecipientStatus.SENT,
        "reporter1-4@news.example": RecipientStatus.SKIPPED,
        "reporter1-5@news.example": RecipientStatus.SENT,
    }
    assert distribution(app, dist_id).status is DistributionStatus.FINISHED
