"""An SMTP error is judged at its level: the relay's errors pause, a recipient's errors are
that recipient's, a dropped session is reopened, one outage is counted once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.distribution import outcomes
from campaign.distribution.models import (
    Distribution,
    DistributionStatus,
    RecipientStatus,
)
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from tests.support.distribution import distribution, drain, statuses, summary
from tests.support.smtp import free_port


def _suppressed(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Suppression))


def test_a_relay_refusing_the_sender_pauses_with_the_reason_and_suppresses_nobody(
    app, send_clock, fault_smtp, contact_list, distribute, client_as
):
    fault_smtp.script.mail_reply = "550 5.7.1 sender address rejected: not owned by you"
    dist_id = distribute([contact_list(5)])
    assert drain(app, dist_id) == "stopped"
    dist = distribution(app, dist_id)
    assert dist.status is DistributionStatus.PAUSED
    assert _suppressed(app) == 0
    assert set(statuses(app, dist_id).values()) == {RecipientStatus.QUEUED}
    note = summary(app, dist_id).note
    assert "the mail server refused the sender address: 550 5.7.1 sender address" in note
    assert summary(app, dist_id).text == "paused: 0 sent, 0 failed, 0 skipped, 5 remaining"

    fault_smtp.script.mail_reply = "250 OK"  # staff fixed MAIL_FROM
    officer = client_as(Role.PRESS_OFFICER)
    officer.post(f"/distributions/{dist_id}/resume")  # eager: sends at once
    assert distribution(app, dist_id).status is DistributionStatus.FINISHED
    assert sorted(fault_smtp.stored) == sorted(statuses(app, dist_id))
    assert distribution(app, dist_id).pause_reason == ""


def test_a_recipient_refused_at_rcpt_fails_and_is_suppressed_alone(
    app, send_clock, fault_smtp, contact_list, distribute
):
    fault_smtp.script.rcpt_replies["reporter1-1@news.example"] = "550 5.1.1 no such user"
    dist_id = distribute([contact_list(3)])  # eager: sent at once
    assert distribution(app, dist_id).status is DistributionStatus.FINISHED
    final = statuses(app, dist_id)
    assert final["reporter1-1@news.example"] is RecipientStatus.FAILED
    assert sorted(final.values()).count(RecipientStatus.SENT) == 2
    assert _suppressed(app) == 1


def test_a_421_for_one_recipient_reopens_the_session_and_the_others_carry_on(
    app, send_clock, fault_smtp, contact_list, distribute
):
    fault_smtp.script.rcpt_replies["reporter1-2@news.example"] = "421 4.7.0 closing connection"
    dist_id = distribute([contact_list(6)])
    assert drain(app, dist_id).startswith("waiting")
    final = statuses(app, dist_id)
    assert final.pop("reporter1-2@news.example") is RecipientStatus.QUEUED
    assert set(final.values()) == {RecipientStatus.SENT}
    dist = distribution(app, dist_id)
    assert dist.hold_until is None and dist.connection_failures == 0
    # The retry follows the configured backoff (60 s), not the five-minute claim lease.
    assert dist.check_due_at == send_clock.now + timedelta(seconds=60)
    assert "next try at 2026-03-02 09:01:00 UTC" in summary(app, dist_id).note
    del fault_smtp.script.rcpt_replies["reporter1-2@news.example"]
    send_clock.now += timedelta(seconds=60)
    assert drain(app, dist_id) == "finished"
    assert len(fault_smtp.stored) == 6


def test_a_connection_dropped_mid_message_is_retried_not_possibly_delivered(
    app, send_clock, fault_smtp, contact_list, distribute
):
    fault_smtp.script.vanish_mid_data.add("reporter1-0@news.example")
    dist_id = distribute([contact_list(3)])
    final = statuses(app, dist_id)
    assert final["reporter1-0@news.example"] is RecipientStatus.QUEUED
    assert final["reporter1-1@news.example"] is RecipientStatus.SENT
    fault_smtp.script.vanish_mid_data.clear()
    send_clock.now += timedelta(seconds=60)
    assert drain(app, dist_id) == "finished"
    assert sorted(fault_smtp.stored) == sorted(final)  # each once


def test_many_recipient_failures_in_a_row_pause_the_distribution(
    app, send_clock, fault_smtp, contact_list, distribute
):
    app.config["DISTRIBUTION_MAX_ERRORS_IN_ROW"] = 3
    for i in range(6):
        fault_smtp.script.rcpt_replies[f"reporter1-{i}@news.example"] = "550 5.7.1 blocked"
    dist_id = distribute([contact_list(6)])
    dist = distribution(app, dist_id)
    assert dist.status is DistributionStatus.PAUSED
    assert "3 recipients in a row failed" in dist.pause_reason
    counted = summary(app, dist_id).counts
    assert counted[RecipientStatus.FAILED] == 3
    assert counted[RecipientStatus.QUEUED] == 3
    assert "Paused automatically: 3 recipients in a row failed" in summary(app, dist_id).note


def test_an_outage_seen_by_parallel_batches_is_counted_once(
    app, send_clock, smtp_sink, contact_list, distribute
):
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    dist_id = distribute([contact_list(2)])
    with app.app_context():
        outcomes.hold(dist_id, "cannot reach the mail server")  # a second batch, same outage
        outcomes.hold(dist_id, "cannot reach the mail server")
        dist = db.session.get(Distribution, dist_id)
        assert dist.connection_failures == 1
        assert dist.hold_until == send_clock.now + timedelta(seconds=60)
        assert dist.held_since == send_clock.now
