"""A worker killed while the mail server hangs, once in the middle of a message and once
after it (stored, never answered): nobody gets a duplicate, nothing is silently missing
(the two rows are "possibly delivered", one of them truly lost, which SMTP cannot tell),
no row stays "sending", nobody is suppressed, and the status text adds up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.distribution.models import RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from tests.support.celery import purge_queue
from tests.support.distribution import drain, kill_tree, statuses, summary
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker

SMALL_BATCHES = {
    "DISTRIBUTION_CLAIM_LEASE_SECONDS": "2",
    "DISTRIBUTION_RATE_PER_MINUTE": "0",
    "DISTRIBUTION_BATCH_SIZE": "2",
    "DISTRIBUTION_PARALLELISM": "2",
    # One session per batch, so each batch has one message on the wire when the power goes:
    # with several, the batch's other staged messages are possibly delivered too.
    "DISTRIBUTION_SMTP_SESSIONS": "1",
}
MID_DATA, AFTER_DATA = "reporter1-1@news.example", "reporter1-3@news.example"


def test_a_worker_killed_while_the_server_hangs_mid_data_and_after_data(
    app, backend, fault_smtp, celery_worker, contact_list, distribute
):
    if backend != "postgresql":
        pytest.skip("one run is enough: the rule is the backend's conditional UPDATEs")
    app.config.update({key: int(value) for key, value in SMALL_BATCHES.items()})
    fault_smtp.script.hang_mid_data.add(MID_DATA)
    fault_smtp.script.silent_after_data.add(AFTER_DATA)
    list_id = contact_list(6)
    worker = celery_worker(concurrency=2, extra_env=SMALL_BATCHES)  # SMTP timeout: 30 s
    dist_id = distribute([list_id])  # two batches of two in parallel: rows 0-1 and 2-3
    wait_until(lambda: len(fault_smtp.hung) == 2, 90, "both sessions to hang")
    kill_tree(worker.pid)  # the power cut: no answer will ever come
    fault_smtp.release.set()  # the server drops both sessions: the mid-DATA one is discarded
    purge_queue(app)  # the dead worker's successors; this process finishes the send
    assert wait_until(lambda: drain(app, dist_id) == "finished", 30, "the send to finish")

    final = statuses(app, dist_id)
    stored = fault_smtp.stored
    assert len(stored) == len(set(stored))  # no duplicates
    assert final[MID_DATA] is RecipientStatus.UNCONFIRMED and MID_DATA not in stored
    assert final[AFTER_DATA] is RecipientStatus.UNCONFIRMED and AFTER_DATA in stored
    sent = {email for email, status in final.items() if status is RecipientStatus.SENT}
    assert sent == set(stored) - {AFTER_DATA} and len(sent) == 4  # nothing else missing
    assert RecipientStatus.SENDING not in final.values()  # nothing stuck
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Suppression)) == 0
    assert summary(app, dist_id).text == (
        "finished: 4 sent, 0 failed, 0 skipped, 2 possibly delivered"
    )
