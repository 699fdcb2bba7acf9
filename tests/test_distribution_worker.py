"""Real Celery workers on Redis sending to a real SMTP sink, including a worker killed mid-run."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from campaign import clock
from campaign.auth.roles import Role
from campaign.distribution import sweeps
from campaign.distribution.models import DistributionStatus, RecipientStatus
from tests.support.distribution import distribution, kill_tree, statuses, summary
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker

FAST = {
    "DISTRIBUTION_CLAIM_LEASE_SECONDS": "2",
    "DISTRIBUTION_RATE_PER_MINUTE": "0",
    "DISTRIBUTION_BATCH_SIZE": "20",
}


def wait_until_finished(app, dist_id, timeout=240.0):
    """Poll, and meanwhile play Celery beat: the sweep re-enqueues work lost with a worker."""

    def finished() -> bool:
        if distribution(app, dist_id).status is DistributionStatus.FINISHED:
            return True
        with app.app_context():
            sweeps.sweep(idle=timedelta(seconds=5))
        return False

    wait_until(finished, timeout, "the distribution to finish", interval=0.5)


def addresses(sink):
    with sink.lock:
        return [message["To"].addresses[0].addr_spec for message in sink.messages]


def test_a_worker_killed_mid_run_costs_nobody_a_second_copy(
    app, slow_smtp_sink, celery_worker, contact_list, distribute
):
    app.config.update({key: int(value) for key, value in FAST.items()})
    unreachable = {7: {"do_not_contact": True}, 8: {"unsubscribed_at": clock.now()}}
    list_id = contact_list(2000, unreachable)
    first = celery_worker(concurrency=2, extra_env=FAST)
    dist_id = distribute([list_id])
    # The sink holds message 200 as stored but unanswered. Meanwhile each pool process does
    # whatever it can without the server and then waits on it, so the kill lands where a
    # sender that records "sent" after the server's reply would send that message again.
    # (No client can close the microseconds between recording the hand-over and writing
    # the final "."; a kill there would lose a message, shown to staff as unconfirmed.)
    assert slow_smtp_sink.held.wait(timeout=60)
    time.sleep(1.0)
    kill_tree(first.pid)
    slow_smtp_sink.release.set()
    celery_worker(concurrency=3, extra_env=FAST)
    wait_until_finished(app, dist_id)

    received = list(slow_smtp_sink.messages)
    eligible = {f"reporter1-{i}@news.example" for i in range(2000) if i not in unreachable}
    assert len(received) == len(eligible)
    assert set(received) == eligible
    final = statuses(app, dist_id)
    delivered = {RecipientStatus.SENT, RecipientStatus.UNCONFIRMED}
    assert {email for email, status in final.items() if status in delivered} == eligible
    assert RecipientStatus.UNCONFIRMED in final.values()  # message 200: stored, never answered
    assert [status for status in final.values() if status is RecipientStatus.SKIPPED] == [
        RecipientStatus.SKIPPED
    ] * 2


def test_retry_failed_through_a_real_worker_sends_once_more_to_the_failed_only(
    app, smtp_sink, celery_worker, contact_list, distribute, client_as
):
    settings = FAST | {"DISTRIBUTION_MAX_ATTEMPTS": "1"}
    app.config.update({key: int(value) for key, value in settings.items()})
    smtp_sink.refuse["reporter1-1@news.example"] = "451 Greylisted, try later"
    celery_worker(concurrency=1, extra_env=settings)
    list_id = contact_list(3)
    dist_id = distribute([list_id])
    wait_until_finished(app, dist_id)
    assert summary(app, dist_id).text == "finished: 2 sent, 1 failed, 0 skipped"
    smtp_sink.refuse.clear()
    client_as(Role.PRESS_OFFICER).post(f"/distributions/{dist_id}/retry")
    smtp_sink.wait_for(3)
    wait_until_finished(app, dist_id)
    assert sorted(addresses(smtp_sink)) == [f"reporter1-{i}@news.example" for i in range(3)]
    assert summary(app, dist_id).text == "finished: 3 sent, 0 failed, 0 skipped"
    message = smtp_sink.messages[-1]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")
    assert message["Reply-To"] == "officer@press.example"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    assert "You are unsubscribed" in app.test_client().post(link).text
    assert statuses(app, distribute([list_id]))["reporter1-1@news.example"] is (
        RecipientStatus.SKIPPED
    )
