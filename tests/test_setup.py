"""What the README's run command relies on: migrations, demo data, the Redis-free worker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask, request
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from campaign import create_app
from campaign.auth.models import User
from campaign.auth.permissions import ENDPOINTS, PUBLIC
from campaign.extensions import db
from campaign.mail.services import dispatch, queue_mail
from campaign.statements.models import Statement, Status
from tests.conftest import PG_SERVER, ROOT
from tests.support.waiting import wait_until


@pytest.fixture()
def empty_database_url(backend: str, tmp_path: Path, run_id: str) -> Iterator[str]:
    """A database with no tables at all, on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"campaign_fresh_{run_id}"
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_app(app: Flask, database_url: str, **settings: str) -> Flask:
    """Another app like the test app, on its own database (the test app's is untouched)."""
    return create_app(dict(app.config) | {"SQLALCHEMY_DATABASE_URI": database_url} | settings)


def test_migrations_build_exactly_the_models_and_roll_back(app, empty_database_url):
    migrated = fresh_app(app, empty_database_url)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        downgrade(revision="base")
        db.engine.dispose()
    assert differences == [], "models changed without a migration: flask db migrate"


def test_seed_demo_loads_once_and_demo_accounts_sign_in(app, runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "editor@example.org" in first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 5
        statements = db.session.scalars(select(Statement).order_by(Statement.id)).all()
    assert [s.kind.value for s in statements] == [
        "coalition_letter",
        "press_release",
        "press_release",  # the embargoed release, scheduled to publish at its lift
        "coalition_letter",  # the directory demo's second letter, with invitations
    ]
    assert statements[0].status is Status.PUBLISHED
    signed_in = client.post(
        "/auth/login", data={"email": "editor@example.org", "password": "campaign-demo"}
    )
    assert signed_in.status_code == 302
    assert b"EMBARGOED UNTIL" in client.get(f"/statements/{statements[1].id}").data


@pytest.mark.worker
def test_embedded_worker_sends_mail_without_redis(app, backend, tmp_path):
    """The run command's worker: SQLite broker and results, mail to the outbox folder."""
    if backend != "sqlite":
        pytest.skip("the embedded mode is SQLite by definition")
    outbox = tmp_path / "outbox"
    settings = {
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        "CELERY_QUEUE": "campaign",
        "CELERY_TASK_ALWAYS_EAGER": False,
        "MAIL_BACKEND": "outbox",
        "OUTBOX_DIR": str(outbox),
    }
    embedded = fresh_app(app, f"sqlite:///{tmp_path / 'embedded.db'}", **settings)
    with embedded.app_context():
        db.create_all()
        mail = queue_mail("partner@example.org", "Please confirm", "Hello.", purpose="test")
        db.session.commit()
        assert dispatch(mail)
        db.engine.dispose()
    worker = _start_embedded_worker(embedded, tmp_path)
    try:
        wait_until(lambda: list(outbox.glob("*.eml")), 60, "the mail in the outbox")
    finally:
        worker.kill()
        worker.wait(timeout=30)
    [message] = outbox.glob("*.eml")
    assert "Subject: Please confirm" in message.read_text()


def _start_embedded_worker(app: Flask, tmp_path: Path) -> subprocess.Popen[bytes]:
    config = app.config
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env |= {
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "CELERY_BROKER_URL": config["CELERY_BROKER_URL"],
        "CELERY_RESULT_BACKEND": config["CELERY_RESULT_BACKEND"],
        "MAIL_BACKEND": "outbox",
        "OUTBOX_DIR": config["OUTBOX_DIR"],
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "workers", "worker", "--concurrency", "1"]
    log = (tmp_path / "embedded-worker.log").open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_client_address_comes_from_trusted_proxies_only(app, tmp_path, monkeypatch):
    """Per-IP rate limits key on request.remote_addr; behind a proxy it must be the client's."""
    monkeypatch.setitem(ENDPOINTS, "whoami", PUBLIC)
    seen = []
    for hops in (0, 1):
        proxied = fresh_app(app, f"sqlite:///{tmp_path / 'proxy.db'}", TRUSTED_PROXIES=hops)
        proxied.add_url_rule("/whoami", "whoami", lambda: request.remote_addr or "")
        headers = {"X-Forwarded-For": "203.0.113.9"}
        seen.append(proxied.test_client().get("/whoami", headers=headers).text)
    assert seen == ["127.0.0.1", "203.0.113.9"]
