"""Compose, review, test, start: the published version stays sendable under a draft, the
review writes nothing, a test reaches only the testers, and the start sends exactly N."""

from __future__ import annotations

import re

from campaign.auth.models import User
from campaign.distribution.models import Distribution, Recipient
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Statement
from campaign.statements.services import save_version
from tests.support.distribution import statuses


def _form(release, list_ids, **fields):
    return {
        "version_id": release["version_id"],
        "list_ids": list_ids,
        "subject": "Ruling welcomed",
        "pitch": "Jane — thought you'd want this **before** the hearing.",
        "sender": "organization",
        "greeting_style": "first_name",
        "reply_to": "officer@press.example",
        "send_mode": "now",
        "timezone": "UTC",
    } | fields


def _officer(app, release):
    from tests.conftest import log_in

    return log_in(app.test_client(), release["officer"])


def _nothing_written(app):
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Distribution.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Recipient.id))) == 0


def test_the_published_version_is_offered_while_a_draft_is_in_progress(app, release):
    with app.app_context():
        statement = db.session.get(Statement, release["statement_id"])
        save_version(statement, statement.head_number, Content(title="Revised", body="New."), None)
    officer = _officer(app, release)
    statement_page = officer.get(f"/statements/{release['statement_id']}").text
    assert "Send to media lists" in statement_page
    page = officer.get("/distributions/new")
    assert page.status_code == 200
    assert "v1 (published; v2 draft in progress)" in page.text
    assert f'value="{release["version_id"]}"' in page.text


def test_review_counts_and_shows_the_email_and_writes_nothing(app, release, contact_list):
    extra = {
        1: {"do_not_contact": True},
        2: {"unsubscribed_at": None, "email": "reporter1-0@news.example"},
    }
    list_id = contact_list(4, extra)
    officer = _officer(app, release)
    page = officer.post("/distributions/new", data=_form(release, [list_id]))
    assert page.status_code == 200, page.text
    assert "Start sending to 2 journalists" in page.text
    assert "do not contact" in page.text and "same address as another recipient" in page.text
    assert "Dear Reporter," in page.text  # the text part, first name greeting
    assert "*welcomed*" in page.text and "**welcomed**" not in page.text
    frame = re.search(r'class="review-frame" src="([^"]+)"', page.text).group(1)
    html = officer.get(frame.replace("&amp;", "&"))
    assert html.status_code == 200, html.text
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert "<strong>before</strong>" in html.text and "style=" in html.text
    assert "<style" not in html.text  # inlined by css-inline
    assert "<title>Ruling welcomed</title>" in html.text  # the subject as composed
    _nothing_written(app)


def test_a_test_send_reaches_only_the_testers_and_touches_no_recipient(
    app, release, contact_list, smtp_sink
):
    list_id = contact_list(3)
    officer = _officer(app, release)
    data = _form(release, [list_id], action="test", test_addresses="editor@desk.example")
    page = officer.post("/distributions/new", data=data)
    assert page.status_code == 200
    assert "Test sent to officer@press.example, editor@desk.example" in page.text
    messages = smtp_sink.wait_for(2)
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "editor@desk.example",
        "officer@press.example",
    ]
    assert all(m["Subject"].startswith("[TEST] Ruling welcomed") for m in messages)
    assert len(list(messages[0].iter_attachments())) == 1
    _nothing_written(app)
    with app.app_context():
        from campaign.audit.models import AuditEvent

        [event] = db.session.scalars(
            db.select(AuditEvent).filter_by(action="distribution.test_sent")
        )
        assert event.details["to"] == ["officer@press.example", "editor@desk.example"]
    too_many = "\n".join(f"x{i}@desk.example" for i in range(6))
    refused = officer.post(
        "/distributions/new", data=_form(release, [list_id], action="test", test_addresses=too_many)
    )
    assert "at most 5 more addresses" in refused.text
    assert len(smtp_sink.messages) == 2


def test_start_sends_exactly_the_reviewed_count(app, release, contact_list, smtp_sink):
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    list_id = contact_list(3, {2: {"do_not_contact": True}})
    officer = _officer(app, release)
    stale = officer.post(
        "/distributions/new", data=_form(release, [list_id], action="start", expected=3)
    )
    assert stale.status_code == 409 and "The recipients changed since the review" in stale.text
    _nothing_written(app)
    started = officer.post(
        "/distributions/new", data=_form(release, [list_id], action="start", expected=2)
    )
    assert started.status_code == 302
    messages = smtp_sink.wait_for(2)
    with app.app_context():
        dist = db.session.scalars(db.select(Distribution)).one()
        officer_name = db.session.get(User, release["officer"].id).name
    assert sorted(statuses(app, dist.id).values()) == ["sent", "sent", "skipped"]
    message = messages[0]
    assert message["From"].addresses[0].addr_spec == app.config["MAIL_FROM"].split("<")[1][:-1]
    assert officer_name
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "Dear Reporter," in text and "**" not in text
    assert "FOR IMMEDIATE RELEASE" in html and "###" in html
    assert "Unsubscribe" in html


def test_the_officer_may_send_in_their_own_name(app, release, contact_list, smtp_sink):
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    list_id = contact_list(1)
    officer = _officer(app, release)
    data = _form(release, [list_id], sender="officer", action="start", expected=1)
    assert officer.post("/distributions/new", data=data).status_code == 302
    [message] = smtp_sink.wait_for(1)
    assert message["From"].addresses[0].display_name.startswith("Pat Officer")
