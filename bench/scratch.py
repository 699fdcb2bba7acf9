"""Throw-away databases, apps and Celery workers, built one way for the tests and the benches.

The bench scripts import it as `scratch` (it sits beside them, like report.py); the test
suite as `bench.scratch`. A scratch PostgreSQL database lives for one `with` block; a
scratch app runs the testing settings on a fresh schema; a worker is a real
`celery worker` process that sees the app's database, queue and mail settings.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask

from campaign import create_app
from campaign.extensions import db, limiter
from config import TestingConfig

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# The settings a worker process needs to act on the same data and send the same way.
WORKER_SETTINGS = (
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_QUEUE",
    "MAIL_BACKEND",
    "SMTP_HOST",
    "SMTP_PORT",
    "OUTBOX_DIR",
    "PUBLIC_BASE_URL",
    "SECRET_KEY",
    "ATTEST_KEY_PATH",
)


def _admin(sql: str) -> None:
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(sql)


@contextmanager
def scratch_postgres(prefix: str = "campaign_scratch") -> Iterator[str]:
    """A PostgreSQL database (its SQLAlchemy URL) that exists for the length of the block."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        yield f"{base}/{name}"
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def testing_settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    """config.TestingConfig on `database_url`, with `overrides`."""
    settings = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    return settings | {"SQLALCHEMY_DATABASE_URI": database_url} | overrides


def scratch_app(database_url: str, **overrides: Any) -> Flask:
    """An app with the testing settings on a fresh schema, rate limits off."""
    app = create_app(testing_settings(database_url, **overrides))
    limiter.enabled = False
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def worker_environment(config: Mapping[str, Any], **extra: str) -> dict[str, str]:
    """The environment of a worker process for an app with `config`, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "CELERY_"))}
    env.update({name: str(config[name]) for name in WORKER_SETTINGS if name in config})
    env.update(DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"], PYTHONPATH=str(ROOT), **extra)
    return env


def start_worker(
    env: Mapping[str, str], name: str, log: Path, concurrency: int = 1
) -> subprocess.Popen[bytes]:
    """A real `celery worker` process named `name`, logging to the file `log`."""
    command = [sys.executable, "-m", "celery", "-A", "workers", "worker", "--loglevel", "INFO"]
    command += ["--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "-n", f"{name}@%h"]
    output = log.open("wb")
    return subprocess.Popen(
        command, cwd=ROOT, env=dict(env), stdout=output, stderr=subprocess.STDOUT
    )
