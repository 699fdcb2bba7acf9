"""Real Celery workers on Redis sending to a real SMTP sink, including a worker killed mid-run."""

from __future__ import annotations

import time

import pytest

from campaign import clock
from campaign.distribution.models import DistributionStatus, RecipientStatus
from tests.support.distribution import distribution, kill_tree, statuses

pytestmark = pytest.mark.worker

FAST = {
    "DISTRIBUTION_CLAIM_LEASE_SECONDS": "2",
    "DISTRIBUTION_RATE_PER_MINUTE": "0",
    "DISTRIBUTION_BATCH_SIZE": "20",
}


def wait_until_finished(app, dist_id, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if distribution(app, dist_id).status is DistributionStatus.FINISHED:
            return
        time.sleep(0.2)
    raise AssertionError(f"distribution not finished: {distribution(app, dist_id).status}")


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
    slow_smtp_sink.wait_for(200, timeout=60)
    kill_tree(first.pid)
    celery_worker(concurrency=2, extra_env=FAST)
    wait_until_finished(app, dist_id)

    received = addresses(slow_smtp_sink)
    eligible = {f"reporter1-{i}@news.example" for i in range(2000) if i not in unreachable}
    assert len(received) == len(eligible)
    assert set(received) == eligible
    final = statuses(app, dist_id)
    delivered = {RecipientStatus.SENT, RecipientStatus.UNCONFIRMED}
    assert {email for email, status in final.items() if status in delivered} == eligible
    assert [status for status in final.values() if status is RecipientStatus.SKIPPED] == [
        RecipientStatus.SKIPPED
    ] * 2
