"""The worker outlives Redis: killing the broker while the worker holds a delayed (ETA)
task must not end the worker process, and work enqueued after Redis returns is done."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import dispatch_id, queue_mail
from tests.support.celery import broker_at
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker


def _logged(log: Path, text: str) -> bool:
    return log.exists() and text in log.read_text(errors="replace")


def test_the_worker_survives_a_redis_outage_while_holding_a_delayed_task(
    app, backend, own_redis, smtp_sink, celery_worker, tmp_path
):
    if backend != "postgresql":
        pytest.skip("one run is enough: the outage is the broker's, not the database's")
    celery = app.extensions["celery"]
    log = tmp_path / "worker-0.log"
    with broker_at(app, own_redis.url, own_redis.url):
        worker = celery_worker(concurrency=1)
        wait_until(lambda: _logged(log, "ready."), 60, "the worker")
        with app.app_context():
            celery.tasks["mail.requeue_stale"].apply_async(countdown=300)  # held by the worker
        wait_until(lambda: _logged(log, "Task mail.requeue_stale["), 60, "the delayed task")
        own_redis.kill()
        # The crash came while the lost connection's messages were restored, before the
        # consumer tries to reconnect; once it tries, that moment has passed.
        wait_until(lambda: _logged(log, "Cannot connect to") or worker.poll() is not None, 60)
        assert worker.poll() is None, log.read_text(errors="replace")
        own_redis.start()
        with app.app_context():
            mail = queue_mail("ally@example.org", "Confirm", "Link.", purpose="signon.confirm")
            db.session.commit()
            mail_id = mail.id
        with broker_at(app, own_redis.url, own_redis.url), app.app_context():  # fresh pools
            assert dispatch_id(mail_id)
        smtp_sink.wait_for(1, timeout=60)
        assert worker.poll() is None

        def sent() -> bool:
            with app.app_context():
                return db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT

        wait_until(sent, 10, "the mail to be recorded as sent")
