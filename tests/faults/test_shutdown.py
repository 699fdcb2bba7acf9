"""Clean shutdown: SIGTERM stops a worker within 10 seconds on both brokers, even with a
task stuck talking to a hanging mail server, and that task's message goes back to the
broker (nothing acknowledged that was not done)."""

from __future__ import annotations

import signal
import subprocess

import pytest

from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import dispatch, queue_mail
from tests.support.celery import broker_at, purge_queue, waiting_messages
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker


@pytest.mark.parametrize("broker", ["sqlite", "redis"])
def test_sigterm_stops_a_busy_worker_within_ten_seconds_and_gives_its_task_back(
    app, backend, broker, fault_smtp, celery_worker, tmp_path
):
    if (broker, backend) not in {("sqlite", "sqlite"), ("redis", "postgresql")}:
        pytest.skip("each broker once: the embedded pair and the production pair")
    fault_smtp.script.hold_at_rcpt = "ally@example.org"  # the task hangs in SMTP (30 s timeout)
    urls = {
        "sqlite": (
            f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
            f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        ),
        "redis": (app.config["CELERY_BROKER_URL"], app.config["CELERY_RESULT_BACKEND"]),
    }[broker]
    with broker_at(app, *urls):
        worker = celery_worker(concurrency=1)
        with app.app_context():
            mail = queue_mail("ally@example.org", "Confirm", "Link.", purpose="signon.confirm")
            db.session.commit()
            assert dispatch(mail)
            mail_id = mail.id
        assert fault_smtp.holding.wait(timeout=90), (tmp_path / "worker-0.log").read_text()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("the worker was still running 10 s after SIGTERM")
        assert wait_until(lambda: waiting_messages(app) == 1, 10, "the task's message back")
        purge_queue(app)
    with app.app_context():
        row = db.session.get(OutgoingMail, mail_id)
        # Claimed, never handed over: the mail sweep queues it again after the lease.
        assert row.status is MailStatus.SENDING and row.handed_at is None
