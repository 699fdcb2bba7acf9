"""The whole send on a real Celery worker and the aiosmtpd sink: review writes nothing, the
confirmation starts exactly N sends, and DSNs read by the worker from a Maildir mark rows
and suppress exactly the right addresses."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from campaign.bounces import verp
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from tests.conftest import log_in
from tests.support.bounces import complaint, drop, dsn
from tests.support.distribution import statuses

pytestmark = pytest.mark.worker


def _until(check, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached")


def test_review_start_and_bounces_on_a_real_worker(
    app, tmp_path, celery_worker, smtp_sink, release, contact_list
):
    maildir = tmp_path / "bounces"
    env = {
        "BOUNCE_ADDRESS": "bounces@desk.example",
        "BOUNCE_MAILDIR": str(maildir),
        "DISTRIBUTION_RATE_PER_MINUTE": "0",
    }
    app.config.update(BOUNCE_ADDRESS=env["BOUNCE_ADDRESS"], DISTRIBUTION_RATE_PER_MINUTE=0)
    celery_worker(concurrency=2, extra_env=env)
    list_id = contact_list(4, {3: {"do_not_contact": True}})
    officer = log_in(app.test_client(), release["officer"])
    form = {
        "version_id": release["version_id"],
        "list_ids": [list_id],
        "subject": "Ruling welcomed",
        "sender": "organization",
        "greeting_style": "full_name",
        "reply_to": "officer@press.example",
        "send_mode": "now",
        "timezone": "UTC",
    }
    assert "Start sending to 3 journalists" in officer.post("/distributions/new", data=form).text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Recipient.id))) == 0
    started = officer.post("/distributions/new", data=form | {"action": "start", "expected": 3})
    assert started.status_code == 302
    messages = smtp_sink.wait_for(3, timeout=120)
    with app.app_context():
        dist_id = db.session.scalars(select(Distribution.id)).one()
        rows = dict(db.session.execute(select(Recipient.email, Recipient.id)).all())
    _until(lambda: list(statuses(app, dist_id).values()).count(RecipientStatus.SENT) == 3)
    sent = sorted(e for e, status in statuses(app, dist_id).items() if status == "sent")
    with app.app_context():
        assert {m[verp.HEADER] for m in messages} == {verp.tag(rows[e]) for e in sent}
    hard, soft, spam = sent
    with app.app_context():
        to = {email: verp.return_path(rows[email]) for email in rows}
    drop(
        maildir,
        dsn(to[hard], hard, "5.1.1"),
        dsn(to[soft], soft, "4.2.2"),
        complaint(to[spam], spam),
    )
    from workers.bounces import read

    read.delay()
    _until(lambda: statuses(app, dist_id)[spam] is RecipientStatus.BOUNCED)
    final = statuses(app, dist_id)
    assert final[hard] is RecipientStatus.BOUNCED and final[soft] is RecipientStatus.SENT
    with app.app_context():
        assert set(db.session.scalars(select(Suppression.email))) == {hard, spam}
