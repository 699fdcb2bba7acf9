"""Two sign-ons of one organization at the same moment produce exactly one signature."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert, text

from campaign.extensions import db
from campaign.signon.models import Signature, SignatureStatus
from campaign.signon.services import Outcome, Signer, sign_on
from campaign.statements.models import Statement
from tests.support.waiting import wait_until


def _sign(app, statement_id, organization, email, results, barrier=None):
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        if barrier is not None:
            barrier.wait()
        results.append(sign_on(statement, Signer(organization, "Contact", email)))


def _count(app, statement_id):
    with app.app_context():
        return db.session.query(Signature).filter_by(statement_id=statement_id).count()


def test_many_simultaneous_sign_ons_store_one(app, open_statement):
    statement_id, _ = open_statement()
    results: list = []
    barrier = threading.Barrier(8)
    names = [
        "Harbor Families Alliance",
        "The Harbor Families Alliance, Inc.",
        "harbor families alliance",
    ]
    threads = [
        threading.Thread(
            target=_sign,
            args=(
                app,
                statement_id,
                names[n % 3],
                f"person{n}@harbor.example.org",
                results,
                barrier,
            ),
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 8
    assert sorted(r.outcome.value for r in results) == ["created"] + ["duplicate"] * 7
    assert _count(app, statement_id) == 1


def _wait_for_lock_wait(connection, timeout=30.0):
    """Poll PostgreSQL until some backend waits on a row lock (the blocked INSERT)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    wait_until(lambda: connection.execute(query).scalar(), timeout, "the second sign-on's INSERT")


def test_insert_race_on_postgresql_ends_as_duplicate(app, backend, open_statement):
    """Deterministic race: the other sign-on's row exists but is uncommitted when ours checks."""
    if backend != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL")
    statement_id, _ = open_statement()
    with app.app_context():
        version_id = db.session.get(Statement, statement_id).published_version_id
        engine = db.engine
    results: list = []
    with engine.connect() as first, engine.connect() as observer:
        first.execute(
            insert(Signature).values(
                statement_id=statement_id,
                signed_version_id=version_id,
                organization="Justice Forward Project",
                normalized_name="justice forward project",
                contact_email="a@justice.example.org",
                email_key="a@justice.example.org",
                status=SignatureStatus.PENDING,
                display_name="",
                duplicate_attempts=0,
                flag="",
            )
        )
        second = threading.Thread(
            target=_sign,
            args=(
                app,
                statement_id,
                "The Justice Forward Project",
                "b@justice.example.org",
                results,
            ),
        )
        second.start()
        _wait_for_lock_wait(observer)
        first.commit()
        second.join(timeout=60)
    [result] = results
    assert result.outcome is Outcome.DUPLICATE
    assert _count(app, statement_id) == 1
    with app.app_context():
        [signature] = db.session.query(Signature).all()
        assert signature.duplicate_attempts == 1
        assert "b@justice.example.org" in signature.flag
