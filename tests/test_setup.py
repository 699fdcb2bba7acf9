"""What the README's run command relies on: migrations, demo data, the Redis-free worker."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask, request
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, Connection, func, inspect, select

from bench.scratch import ROOT, scratch_postgres, start_worker, worker_environment
from campaign import create_app
from campaign.auth.models import User
from campaign.auth.permissions import ENDPOINTS, PUBLIC
from campaign.extensions import db
from campaign.mail.services import dispatch, queue_mail
from campaign.statements.models import Statement, Status


@pytest.fixture()
def empty_database_url(backend: str, tmp_path: Path, run_id: str) -> Iterator[str]:
    """A database with no tables at all, on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    with scratch_postgres(f"campaign_fresh_{run_id}") as url:
        yield url


def fresh_app(app: Flask, database_url: str, **settings: str) -> Flask:
    """Another app like the test app, on its own database (the test app's is untouched)."""
    return create_app(dict(app.config) | {"SQLALCHEMY_DATABASE_URI": database_url} | settings)


def _literals(sql: str) -> list[str]:
    """The quoted values a CHECK names (an enum's list), however the database prints it."""
    return sorted(re.findall(r"'([^']*)'", sql))


def migrated_checks(connection: Connection) -> dict[tuple[str, str], list[str]]:
    """Every CHECK constraint in the database, by (table, name), with the values it names."""
    inspector = inspect(connection)
    return {
        (table, check["name"]): _literals(check["sqltext"])
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }


def model_checks(connection: Connection) -> dict[tuple[str, str], list[str]]:
    """The same for the models: enum columns' value lists and the explicit constraints."""
    return {
        (table.name, constraint.name): _literals(
            str(
                constraint.sqltext.compile(
                    dialect=connection.dialect, compile_kwargs={"literal_binds": True}
                )
            )
        )
        for table in db.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }


def test_migrations_build_exactly_the_models_and_roll_back(app, empty_database_url):
    """Alembic compares tables, columns and indexes, not CHECK constraints, and a
    non-native enum is only a CHECK: they are compared here, enum values included."""
    migrated = fresh_app(app, empty_database_url)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            checks, expected = migrated_checks(connection), model_checks(connection)
        downgrade(revision="base")
        db.engine.dispose()
    assert differences == [], "models changed without a migration: flask db migrate"
    assert checks == expected


CONSTRAINTS_REVISION = "8b1f4c2d9e70"
OLD_ROWS = (
    "INSERT INTO users (id, email, name, password_hash, role, active, created_at,"
    " session_version, totp_secret, recovery_codes) VALUES (1, 'a@example.org', 'A', 'h',"
    " 'PRESS_OFFICER', true, '2026-01-01 00:00:00', 1, '', '[]')",
    "INSERT INTO outgoing_mail (id, purpose, to_address, subject, text_body, html_body,"
    " reply_to, status, attempts, last_error, created_at) VALUES (1, 'test', 'b@example.org',"
    " 's', 'b', '', '', 'SENT', 1, '', '2026-01-01 00:00:00')",
    "INSERT INTO mail_attachment (mail_id, filename, mime_type, content)"
    " VALUES (1, 'f.pdf', 'application/pdf', '')",
)


def test_the_constraints_migration_keeps_rows_and_stores_enum_values(app, empty_database_url):
    """Adding CHECKs rebuilds SQLite tables (batch mode): with foreign keys on, dropping
    `outgoing_mail` would cascade into its attachments. Names stored by the old enum
    columns ("PRESS_OFFICER") become values ("press_officer")."""
    migrated = fresh_app(app, empty_database_url)
    with migrated.app_context():
        upgrade(revision=down_revision_of(CONSTRAINTS_REVISION))
        with db.engine.begin() as connection:
            for statement in OLD_ROWS:
                connection.exec_driver_sql(statement)
        upgrade(revision=CONSTRAINTS_REVISION)
        with db.engine.connect() as connection:
            found = [
                connection.exec_driver_sql(query).scalar()
                for query in (
                    "SELECT role FROM users",
                    "SELECT status FROM outgoing_mail",
                    "SELECT count(*) FROM mail_attachment",
                )
            ]
        downgrade(revision="base")
        db.engine.dispose()
    assert found == ["press_officer", "sent", 1]


def down_revision_of(revision: str) -> str:
    [path] = (ROOT / "migrations" / "versions").glob(f"{revision}_*.py")
    return re.search(r"^down_revision = '(\w+)'", path.read_text(), re.M).group(1)


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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(outbox.glob("*.eml")):
            time.sleep(0.2)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    [message] = outbox.glob("*.eml")
    assert "Subject: Please confirm" in message.read_text()


def _start_embedded_worker(app: Flask, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = worker_environment(app.config)
    return start_worker(env, "embedded", tmp_path / "embedded-worker.log")


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
