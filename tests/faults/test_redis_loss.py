"""Redis is not needed to sign: with it gone, public sign-on and staff sign-in work (rate
limits count in memory and say so in the log), and the confirmation mail goes out by the
sweep once the broker is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask

from campaign import clock, create_app
from campaign.auth.roles import Role
from campaign.extensions import db, limiter
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import requeue_stale
from campaign.signon.models import Signature
from tests.conftest import PASSWORD

SIGN_ON = {
    "organization": "Riverbend Recovery Network",
    "org_type": "service_provider",
    "scope": "state_local",
    "contact_name": "Dana Whitfield",
    "contact_email": "dana@riverbend.example.org",
    "consent": "y",
}


@pytest.fixture()
def redis_app(app: Flask, own_redis) -> Iterator[Flask]:
    """An app whose broker and rate-limit storage are the test's own Redis. The shared
    limiter and the default Celery app are restored afterwards for the other tests."""
    saved = dict(limiter.__dict__)
    settings = dict(app.config) | {
        "RATELIMIT_STORAGE_URI": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": own_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": False,
        "SIGNON_RATE_LIMIT": "100 per minute",
    }
    built = create_app(settings)
    yield built
    with built.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)
    app.extensions["celery"].set_default()


def test_sign_on_and_sign_in_work_while_redis_is_down(
    redis_app, own_redis, open_statement, make_user, caplog
):
    _, slug = open_statement()
    redis_app.config["SIGNON_RATE_LIMIT"] = "100 per minute"
    editor = make_user(Role.EDITOR)
    client = redis_app.test_client()
    own_redis.kill()
    # Alembic's fileConfig (migration tests) disables existing loggers; this one must talk.
    logging.getLogger("flask-limiter").disabled = False
    with caplog.at_level(logging.WARNING):
        signed = client.post(f"/s/{slug}/sign", data=SIGN_ON)
        assert signed.status_code == 200, signed.text
        login = client.post("/auth/login", data={"email": editor.email, "password": PASSWORD})
        assert login.status_code == 302
    assert "in-memory" in caplog.text.lower() or "in memory" in caplog.text.lower()
    with redis_app.app_context():
        assert db.session.query(Signature).count() == 1
        mail = db.session.query(OutgoingMail).one()
        assert mail.status is MailStatus.QUEUED and mail.enqueued_at is None
    own_redis.start()  # the broker is back: the next sweep (15 s) enqueues the mail
    later = clock.now() + timedelta(seconds=20)
    clock.set_clock(lambda: later)
    try:
        with redis_app.app_context():
            assert requeue_stale() == 1
            assert db.session.query(OutgoingMail).one().enqueued_at == later
    finally:
        clock.set_clock(None)
