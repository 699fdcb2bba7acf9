"""A server that stores a message and never answers leaves it "possibly delivered": listed
with its time and the server's last words, never resent by itself, resent to exactly those
recipients when staff confirm (audited). Cancel and pause leave no row in "sending"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.distribution import claims, engine, sweeps
from campaign.distribution.models import DistributionStatus, RecipientStatus
from campaign.extensions import db
from tests.faults.support import scheduled
from tests.support.distribution import distribution, drain, statuses, summary


def test_no_answer_after_the_message_means_possibly_delivered_and_staff_may_resend(
    app, send_clock, fault_smtp, contact_list, distribute, client_as
):
    fault_smtp.script.silent_after_data.add("reporter1-1@news.example")
    dist_id = distribute([contact_list(3)])  # eager: sent at once, SMTP_TIMEOUT is 1 s
    final = statuses(app, dist_id)
    assert final["reporter1-1@news.example"] is RecipientStatus.UNCONFIRMED
    assert summary(app, dist_id).text == (
        "finished: 2 sent, 0 failed, 0 skipped, 1 possibly delivered"
    )
    drain(app, dist_id)
    assert sorted(fault_smtp.stored).count("reporter1-1@news.example") == 1  # not resent

    officer = client_as(Role.PRESS_OFFICER)
    page = officer.get(f"/distributions/{dist_id}")
    assert "Resend to the 1 possibly-undelivered" in page.text
    confirm = officer.get(f"/distributions/{dist_id}/resend-possibly-delivered")
    assert "may receive the message twice" in confirm.text
    assert "no answer after the message was sent" in confirm.text
    refused = officer.post(f"/distributions/{dist_id}/resend-possibly-delivered", data={})
    assert refused.status_code == 422
    assert "Tick the box" in refused.text
    fault_smtp.script.silent_after_data.clear()
    officer.post(f"/distributions/{dist_id}/resend-possibly-delivered", data={"understood": "y"})
    assert sorted(fault_smtp.stored).count("reporter1-1@news.example") == 2  # chosen
    assert len(fault_smtp.stored) == 4
    assert distribution(app, dist_id).status is DistributionStatus.FINISHED
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "distribution.resent_possibly_delivered")
        ).one()
        assert event.details == {"recipients": 1}


def test_cancel_with_a_batch_in_flight_accounts_for_every_row(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    dist_id = scheduled(send_clock, distribute, [contact_list(10)])
    with app.app_context():  # a worker claims 6 and hands one message over...
        token, ids = claims.claim(dist_id, 6, clock.now())
        assert claims.hand_over(ids[0], token, clock.now())
    client_as(Role.PRESS_OFFICER).post(f"/distributions/{dist_id}/cancel")  # ...then cancel
    counted = summary(app, dist_id).counts
    assert counted[RecipientStatus.SENDING] == 1  # the one handed over, still in flight
    assert counted[RecipientStatus.SKIPPED] == 9
    assert summary(app, dist_id).text == "cancelled: 0 sent, 0 failed, 9 skipped, 1 still in flight"
    with app.app_context():
        assert not claims.hand_over(ids[1], token, clock.now())  # the worker sends no more
        send_clock.now += engine.lease() + timedelta(seconds=1)
        sweeps.sweep()  # the worker died: the lease ends even for a cancelled send
    final = summary(app, dist_id)
    assert final.counts[RecipientStatus.SENDING] == 0
    assert final.text == "cancelled: 0 sent, 0 failed, 9 skipped, 1 possibly delivered"


def test_pause_returns_claimed_rows_at_once(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    dist_id = scheduled(send_clock, distribute, [contact_list(4)])
    with app.app_context():
        token, ids = claims.claim(dist_id, 4, clock.now())
    client_as(Role.PRESS_OFFICER).post(f"/distributions/{dist_id}/pause")
    assert set(statuses(app, dist_id).values()) == {RecipientStatus.QUEUED}
    assert "Paused by staff" in summary(app, dist_id).note
    with app.app_context():
        assert not claims.hand_over(ids[0], token, clock.now())
