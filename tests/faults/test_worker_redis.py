"""The worker outlives Redis: killing the broker while the worker holds a delayed (ETA)
task must not end the worker process, and work enqueued after Redis returns is done."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import dispatch_id, queue_mail

pytestmark = pytest.mark.worker


def _wait_for_line(log: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the worker log:\n{log.read_text(errors='replace')}")


def test_the_worker_survives_a_redis_outage_while_holding_a_delayed_task(
    app, own_redis, smtp_sink, celery_worker, tmp_path
):
    celery = app.extensions["celery"]
    saved = celery.conf.broker_url
    app.config.update(CELERY_BROKER_URL=own_redis.url, CELERY_RESULT_BACKEND=own_redis.url)
    celery.conf.update(broker_url=own_redis.url, result_backend=own_redis.url)
    celery._pool = None
    celery.amqp._producer_pool = None
    try:
        worker = celery_worker(concurrency=1)
        log = tmp_path / "worker-0.log"
        _wait_for_line(log, "ready.")
        with app.app_context():
            celery.tasks["mail.requeue_stale"].apply_async(countdown=300)  # held by the worker
        _wait_for_line(log, "Task mail.requeue_stale[")
        own_redis.kill()
        time.sleep(3)  # the crash came within a second of the outage; no condition to await
        assert worker.poll() is None, log.read_text(errors="replace")
        own_redis.start()
        with app.app_context():
            mail = queue_mail("ally@example.org", "Confirm", "Link.", purpose="signon.confirm")
            db.session.commit()
            mail_id = mail.id
            celery._pool = None
            celery.amqp._producer_pool = None
            assert dispatch_id(mail_id)
        smtp_sink.wait_for(1, timeout=60)
        assert worker.poll() is None
        with app.app_context():
            for _ in range(100):
                db.session.expire_all()
                if db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT:
                    break
                time.sleep(0.1)
            assert db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT
    finally:
        celery.conf.update(broker_url=saved, result_backend=saved)
        celery._pool = None
        celery.amqp._producer_pool = None
