"""Shared fixtures.

Every test that takes `app` (or anything built on it) runs twice: on a SQLite file and on a
PostgreSQL database created for this run on 127.0.0.1:5432. The schema is created once per
backend; after each test every table is emptied, which (unlike a rolled-back outer
transaction) also works for tests where a worker process or a second client must see
committed rows.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from celery.result import _set_task_join_will_block
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from bench.scratch import (
    REDIS_URL,
    scratch_app,
    scratch_postgres,
    start_worker,
    testing_settings,
    worker_environment,
)
from campaign import clock
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.campaigns.services import create_campaign
from campaign.extensions import db, limiter
from campaign.statements.content import Content
from campaign.statements.models import Kind, Statement
from campaign.statements.services import create_statement
from tests.support.smtp import SMTPSink

PASSWORD = "correct-horse-battery"

pytest_plugins = [
    "tests.support.browser",
    "tests.support.contacts",
    "tests.support.signon",
    "tests.support.distribution",
    "tests.support.embargo",
    "tests.support.coverage",
    "tests.support.directory",
]


@pytest.fixture(scope="session")
def run_id() -> str:
    """Distinguishes this run's PostgreSQL database and Celery queue from any other run's."""
    return secrets.token_hex(4)


@pytest.fixture(scope="session")
def postgres_url(run_id: str) -> Iterator[str]:
    with scratch_postgres(f"campaign_test_{run_id}") as url:
        yield url


def _settings(database_url: str, tmp: Path, run_id: str) -> dict[str, Any]:
    return testing_settings(
        database_url,
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
        CELERY_QUEUE=f"campaign-test-{run_id}",
        OUTBOX_DIR=str(tmp / "outbox"),
        PUBLIC_BASE_URL="http://localhost",
        ATTEST_KEY_PATH=str(tmp / "attest-ed25519.pem"),
    )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def _session_app(
    backend: str, tmp_path_factory: pytest.TempPathFactory, run_id: str, request: Any
) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp(backend)
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = scratch_app(url, **_settings(url, tmp, run_id))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables() -> None:
    db.session.remove()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            for table in reversed(tables):
                connection.execute(table.delete())
            connection.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture()
def app(_session_app: Flask) -> Iterator[Flask]:
    """The session's app, with rate limits off: every `create_app` (some tests build their own)
    switches the shared limiter back on, and only the `rate_limits` fixture wants it on."""
    limiter.enabled = False
    # Tests that build an app of their own make its Celery app the current one, which shared
    # tasks (`task.delay()`) use; every test starts from the session app's again.
    _session_app.extensions["celery"].set_current()
    _session_app.extensions["celery"].set_default()
    saved = dict(_session_app.config)
    yield _session_app
    # Eager tasks run in several threads at once (race tests) can leave Celery's process-wide
    # "inside a task" flag set, which would make every later `.get()` refuse to block.
    _set_task_join_will_block(False)
    _session_app.config.clear()
    _session_app.config.update(saved)
    with _session_app.app_context():
        _empty_all_tables()


@pytest.fixture()
def rate_limits(app: Flask) -> Iterator[Any]:
    """Turn rate limiting on (it is off in other tests), starting from empty counters."""
    limiter.enabled = True
    limiter.reset()
    yield limiter
    limiter.enabled = False
    limiter.reset()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., User]:
    """Create a staff account; returns a detached User whose id and email stay readable."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.EDITOR, email: str | None = None, name: str = "") -> User:
        with app.app_context():
            number = next(counter)
            user = create_user(
                email or f"{role.value}{number}@example.org",
                name or f"{role.label} {number}",
                role,
                PASSWORD,
            )
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    """Sign `client` in as `user` without going through the (separately tested) form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture()
def client_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """A new signed-in test client for a new user of `role` (each call, another user)."""

    def make(role: Role = Role.EDITOR) -> FlaskClient:
        return log_in(app.test_client(), make_user(role))

    return make


@pytest.fixture()
def make_statement(app: Flask, make_user: Callable[..., User]) -> Callable[..., int]:
    """Create a campaign and a statement in draft; returns the statement id."""

    def make(
        kind: Kind = Kind.COALITION_LETTER,
        title: str = "Stop the sentencing bill",
        body: str = "We, the undersigned, oppose the bill.",
        author: User | None = None,
        **content: Any,
    ) -> int:
        author = author or make_user(Role.EDITOR)
        with app.app_context():
            campaign = create_campaign(f"Campaign {secrets.token_hex(3)}", "", None)
            statement = create_statement(
                campaign,
                kind,
                Content(title=title, body=body, **content),
                db.session.get(User, author.id),
            )
            return statement.id

    return make


def load_statement(app: Flask, statement_id: int) -> Statement:
    """A fresh, detached copy of a statement row as the database has it now."""
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        db.session.expunge(statement)
        return statement


class MovableClock:
    """The app's clock, set by the test: `now` is what `clock.now()` answers; `at(when)`
    moves it. Tests move it instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def at(self, when: datetime) -> None:
        self.now = when


@contextmanager
def clock_at(start: datetime) -> Iterator[MovableClock]:
    """The app's clock stands at `start` inside the block, then runs again."""
    movable = MovableClock(start)
    clock.set_clock(lambda: movable.now)
    try:
        yield movable
    finally:
        clock.set_clock(None)


@pytest.fixture()
def smtp_sink(app: Flask) -> Iterator[SMTPSink]:
    """A real SMTP server on loopback; the app (and any worker started after) sends to it."""
    sink = SMTPSink()
    sink.start()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port)
    yield sink
    sink.stop()


@pytest.fixture()
def celery_worker(app: Flask, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start real `celery worker` processes on the test Redis, sharing the test database.

    While this fixture is active the app enqueues for real instead of running tasks eagerly.
    Call the returned function to start a worker; all are killed at the end of the test.
    """
    celery_app = app.extensions["celery"]
    celery_app.conf.task_always_eager = False
    processes: list[subprocess.Popen[bytes]] = []

    def start(
        concurrency: int = 2, extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        env = worker_environment(app.config, **(extra_env or {}))
        log = tmp_path / f"worker-{len(processes)}.log"
        processes.append(start_worker(env, f"test{len(processes)}", log, concurrency))
        return processes[-1]

    yield start
    celery_app.conf.task_always_eager = True
    for process in processes:
        process.kill()
        process.wait(timeout=30)
