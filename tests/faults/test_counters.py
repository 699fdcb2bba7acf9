"""Counters are incremented in SQL: simultaneous duplicate sign-ons all count."""

from __future__ import annotations

import threading

import pytest

from campaign.extensions import db
from campaign.signon.models import Signature
from campaign.signon.services import Outcome, Signer, sign_on
from campaign.statements.models import Statement
from tests.support.celery import broker_down


def test_twenty_simultaneous_duplicates_count_nineteen(app, backend, open_statement):
    if backend != "postgresql":
        pytest.skip("SQLite serialises writers; the lost update needs concurrent ones")
    statement_id, _ = open_statement()
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        sign_on(statement, Signer("Harbor Families Alliance", "Contact", "a@harbor.example.org"))
    barrier = threading.Barrier(19, timeout=60)
    outcomes: list[Outcome] = []

    def again(n: int) -> None:
        barrier.wait()  # before taking a connection: 19 exceed the pool, which then queues
        with app.app_context():
            statement = db.session.get(Statement, statement_id)
            signer = Signer("Harbor Families Alliance", "Contact", f"p{n}@harbor.example.org")
            outcomes.append(sign_on(statement, signer).outcome)

    threads = [threading.Thread(target=again, args=(n,)) for n in range(19)]
    # Each duplicate now mails the address typed; run eagerly, that mail would take a second
    # pooled connection inside every thread. Queued for a worker, it stays out of the race.
    with broker_down(app):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert outcomes == [Outcome.DUPLICATE] * 19
    with app.app_context():
        [signature] = db.session.query(Signature).all()
        assert signature.duplicate_attempts == 19
