"""Honest, controllable sending: windows and send times on an injected clock, retries,
suppression, pause/resume/cancel, the claim lease, and a broker that is down."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from campaign import clock
from campaign.auth.roles import Role
from campaign.distribution import claims, engine, sweeps
from campaign.distribution.models import (
    Distribution,
    DistributionStatus,
    RecipientStatus,
    SendMode,
)
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from tests.support.celery import broker_down
from tests.support.distribution import MONDAY_9_UTC, distribution, drain, statuses, summary
from tests.support.smtp import free_port


def sent_to(sink):
    return sorted(m["To"].addresses[0].addr_spec for m in sink.messages)


def test_a_window_that_has_closed_waits_for_the_next_opening(
    app, send_clock, smtp_sink, contact_list, distribute
):
    send_clock.now = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)  # Friday 18:30 in Berlin
    office_hours = {
        "window_days": [0, 1, 2, 3, 4],
        "window_start": time(8, 0),
        "window_end": time(18, 0),
        "window_timezone": "Europe/Berlin",
    }
    dist_id = distribute([contact_list(2)], **office_hours)
    assert drain(app, dist_id) == "waiting until 2026-03-09 07:00:00 UTC"  # Monday 08:00 CET
    send_clock.now = datetime(2026, 3, 9, 6, 59, tzinfo=UTC)
    assert drain(app, dist_id).startswith("waiting")
    assert smtp_sink.messages == []
    send_clock.now = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    assert drain(app, dist_id) == "finished"
    assert len(sent_to(smtp_sink)) == 2


def test_a_window_later_today_and_a_chosen_time(
    app, send_clock, smtp_sink, contact_list, distribute
):
    send_clock.now = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # Monday 06:00 in Berlin
    window = {
        "window_days": [0],
        "window_start": time(8, 0),
        "window_end": time(18, 0),
        "window_timezone": "Europe/Berlin",
    }
    later_today = distribute([contact_list(1)], **window)
    assert drain(app, later_today) == "waiting until 2026-03-02 07:00:00 UTC"
    at_noon = distribute(
        [contact_list(1)],
        send_mode=SendMode.CHOSEN_TIME,
        send_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    assert drain(app, at_noon) == "waiting until 2026-03-02 12:00:00 UTC"
    in_the_past = distribute(
        [contact_list(1)],
        send_mode=SendMode.CHOSEN_TIME,
        send_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )
    assert distribution(app, in_the_past).status is DistributionStatus.FINISHED
    assert sent_to(smtp_sink) == ["reporter3-0@news.example"]
    send_clock.now = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert drain(app, later_today) == "finished"
    assert drain(app, at_noon).startswith("waiting")
    send_clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert drain(app, at_noon) == "finished"
    assert len(smtp_sink.messages) == 3


def test_retry_failed_sends_once_to_exactly_the_failed(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    app.config["DISTRIBUTION_MAX_ATTEMPTS"] = 2
    list_id = contact_list(5)
    smtp_sink.refuse["reporter1-1@news.example"] = "451 Try again later"
    smtp_sink.refuse["reporter1-2@news.example"] = "452 Mailbox full"
    smtp_sink.refuse["reporter1-3@news.example"] = "550 No such user"
    dist_id = distribute([list_id])
    assert drain(app, dist_id) == "waiting for retries or claims in flight"
    send_clock.now += timedelta(seconds=59)
    assert drain(app, dist_id).startswith("waiting")  # backoff: first retry after 60 s
    send_clock.now += timedelta(seconds=1)
    assert drain(app, dist_id) == "finished"
    text = summary(app, dist_id).text
    assert text == "finished: 2 sent, 3 failed, 0 skipped"
    smtp_sink.refuse.clear()
    before = len(smtp_sink.messages)
    officer = client_as(Role.PRESS_OFFICER)
    page = officer.post(f"/distributions/{dist_id}/retry", follow_redirects=True)
    assert "Retrying 2 failed recipient(s) once." in page.text
    assert "1 stay failed: their addresses are suppressed." in page.text
    retried = (
        sent_to(smtp_sink)[before:]
        if False
        else sorted(m["To"].addresses[0].addr_spec for m in smtp_sink.messages[before:])
    )
    assert retried == ["reporter1-1@news.example", "reporter1-2@news.example"]
    again = officer.post(f"/distributions/{dist_id}/retry", follow_redirects=True)
    assert "Retrying 0 failed recipient(s) once." in again.text
    assert len(smtp_sink.messages) == before + 2
    assert "finished: 4 sent, 1 failed, 0 skipped" in officer.get(f"/distributions/{dist_id}").text


def test_a_bounce_is_suppressed_everywhere_until_lifted(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    list_id = contact_list(2)
    smtp_sink.refuse["reporter1-1@news.example"] = "550 No such user"
    first = distribute([list_id])
    assert statuses(app, first)["reporter1-1@news.example"] is RecipientStatus.FAILED
    second = distribute([list_id])
    assert statuses(app, second)["reporter1-1@news.example"] is RecipientStatus.SKIPPED
    officer = client_as(Role.PRESS_OFFICER)
    listing = officer.get("/suppressions")
    assert "reporter1-1@news.example" in listing.text and "550 No such user" in listing.text
    with app.app_context():
        suppression_id = db.session.scalars(db.select(Suppression.id)).one()
    assert client_as(Role.VIEWER).post(f"/suppressions/{suppression_id}/lift").status_code == 403
    officer.post(f"/suppressions/{suppression_id}/lift")
    smtp_sink.refuse.clear()
    third = distribute([list_id])
    assert statuses(app, third)["reporter1-1@news.example"] is RecipientStatus.SENT


def test_suppression_and_do_not_contact_are_checked_again_at_send_time(
    app, send_clock, smtp_sink, contact_list, distribute
):
    from campaign.contacts.models import Contact
    from campaign.mailpolicy.suppression import suppress

    list_id = contact_list(3)
    send_clock.now = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    dist_id = distribute(
        [list_id],
        send_mode=SendMode.CHOSEN_TIME,
        send_at=datetime(2026, 3, 2, 6, 0, tzinfo=UTC),
    )
    with app.app_context():
        suppress("Reporter1-0@news.example", "550 gone")
        contact = db.session.scalars(db.select(Contact).filter_by(name="Reporter 1")).one()
        contact.do_not_contact = True
        db.session.commit()
    send_clock.now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert drain(app, dist_id) == "finished"
    assert sent_to(smtp_sink) == ["reporter1-2@news.example"]
    assert summary(app, dist_id).text == "finished: 1 sent, 0 failed, 2 skipped"


def test_pause_resume_and_cancel(app, send_clock, smtp_sink, contact_list, distribute, client_as):
    send_clock.now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # a Saturday
    weekdays = {"window_days": [0, 1, 2, 3, 4], "window_start": time(8), "window_end": time(18)}
    paused = distribute([contact_list(2)], **weekdays)
    cancelled = distribute([contact_list(2)], **weekdays)
    officer = client_as(Role.PRESS_OFFICER)
    officer.post(f"/distributions/{paused}/pause")
    assert distribution(app, paused).status is DistributionStatus.PAUSED
    assert (
        "paused: 0 sent, 0 failed, 0 skipped, 2 remaining"
        in officer.get(f"/distributions/{paused}").text
    )
    send_clock.now = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert drain(app, paused) == "stopped"
    assert smtp_sink.messages == []
    refused = officer.post(f"/distributions/{paused}/pause", follow_redirects=True)
    assert "Only a scheduled or sending distribution can be paused." in refused.text
    officer.post(f"/distributions/{paused}/resume")
    assert distribution(app, paused).status is DistributionStatus.FINISHED
    assert len(smtp_sink.messages) == 2
    officer.post(f"/distributions/{cancelled}/cancel")
    assert drain(app, cancelled) == "stopped"
    assert summary(app, cancelled).text == "cancelled: 0 sent, 0 failed, 2 skipped"
    assert len(smtp_sink.messages) == 2
    assert officer.post(f"/distributions/{cancelled}/explode").status_code == 404


def test_the_lease_rule_resends_only_what_never_reached_the_server(
    app, send_clock, smtp_sink, contact_list, distribute
):
    send_clock.now = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    dist_id = distribute([contact_list(3)], send_mode=SendMode.CHOSEN_TIME, send_at=MONDAY_9_UTC)
    send_clock.now = MONDAY_9_UTC
    with app.app_context():
        token, ids = claims.claim(dist_id, 3, clock.now())  # a worker that then dies...
        assert claims.hand_over(ids[0], token, clock.now())  # ...after handing one over
        send_clock.now += engine.lease() - timedelta(seconds=1)
        claims.recover(dist_id, clock.now(), engine.lease())
        assert claims.counts(dist_id)[RecipientStatus.SENDING] == 3  # lease not yet over
        send_clock.now += timedelta(seconds=2)
    assert drain(app, dist_id) == "finished"
    assert len(smtp_sink.messages) == 2
    final = statuses(app, dist_id)
    assert sorted(final.values()) == sorted(
        [RecipientStatus.UNCONFIRMED, RecipientStatus.SENT, RecipientStatus.SENT]
    )
    with app.app_context():
        assert not claims.hand_over(ids[1], token, clock.now())  # the old claim is void
    text = summary(app, dist_id).text
    assert text == "finished: 2 sent, 0 failed, 0 skipped, 1 possibly delivered"


def test_an_unreachable_mail_server_holds_the_distribution_with_backoff(
    app, send_clock, smtp_sink, contact_list, distribute
):
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    dist_id = distribute([contact_list(2)])
    held = distribution(app, dist_id)
    assert held.hold_until == MONDAY_9_UTC + timedelta(seconds=60)
    note = summary(app, dist_id).note
    assert "unreachable since 2026-03-02 09:00:00 UTC" in note
    assert "next try at 2026-03-02 09:01:00 UTC" in note
    assert set(statuses(app, dist_id).values()) == {RecipientStatus.QUEUED}
    app.config["SMTP_PORT"] = smtp_sink.port
    send_clock.now += timedelta(seconds=60)
    assert drain(app, dist_id) == "finished"
    assert len(smtp_sink.messages) == 2
    assert distribution(app, dist_id).connection_failures == 0


def test_creation_succeeds_when_the_queue_is_down_and_the_sweep_starts_it(
    app, smtp_sink, client_as, release, contact_list
):
    with broker_down(app):
        officer = client_as(Role.PRESS_OFFICER)
        form = {
            "version_id": release["version_id"],
            "list_ids": [contact_list(2)],
            "subject": "Ruling welcomed",
            "reply_to": "officer@press.example",
            "send_mode": "now",
            "timezone": "UTC",
            "action": "start",
            "expected": 2,
        }
        page = officer.post("/distributions/new", data=form, follow_redirects=True)
    assert "The task queue is unavailable" in page.text
    with app.app_context():
        dist = db.session.scalars(db.select(Distribution)).one()
        assert dist.enqueued_at is None
    assert set(statuses(app, dist.id).values()) == {RecipientStatus.QUEUED}
    with app.app_context():
        assert sweeps.sweep() == 1  # eager now: the sweep's task sends right away
    assert len(smtp_sink.messages) == 2
    assert distribution(app, dist.id).status is DistributionStatus.FINISHED
