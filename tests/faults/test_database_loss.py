"""A database outage answers a friendly 503 with Retry-After, never a raw 500; after the
connections are cut (pg_terminate_backend, never stopping the shared server), the next
request succeeds thanks to the pool's pre-ping."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import DBAPIError

from campaign import create_app
from campaign.distribution import engine, sweeps
from campaign.distribution.models import DistributionStatus, RecipientStatus
from campaign.extensions import db, limiter
from tests.faults.support import database_closed, scheduled, terminate_backends
from tests.support.distribution import distribution, statuses


def test_the_first_request_after_the_connections_were_cut_succeeds(
    app, backend, open_statement, client
):
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    _, slug = open_statement()
    assert client.get(f"/s/{slug}").status_code == 200  # the pool now holds a connection
    assert terminate_backends(app) >= 1
    assert client.get(f"/s/{slug}").status_code == 200


def test_an_unreachable_database_gets_a_friendly_503_with_retry_after(app):
    saved = dict(limiter.__dict__)
    broken = create_app(
        dict(app.config)
        | {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"}
    )
    try:
        client = broken.test_client()
        page = client.get("/auth/login?next=/campaigns/")
        assert page.status_code in (200, 503)  # the login form itself needs no database
        answer = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
        assert answer.status_code == 503
        assert 25 <= int(answer.headers["Retry-After"]) <= 30  # the limiter rewrites it
        assert "The database cannot be reached right now" in answer.text
        assert "Traceback" not in answer.text
        as_json = client.post(
            "/auth/login",
            data={"email": "a@example.org", "password": "x"},
            headers={"Accept": "application/json"},
        )
        assert as_json.status_code == 503 and as_json.json["error"] == "Service Unavailable"
    finally:
        with broken.app_context():
            db.engine.dispose()
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)
        app.extensions["celery"].set_default()


def _step_in_thread(app, dist_id: int, failures: list[Exception]) -> threading.Thread:
    """One distribution step, as a worker runs it, in a thread the test can cut off from the
    database; the database errors it meets go to `failures`."""

    def worker() -> None:
        with app.app_context():
            try:
                engine.step(dist_id, sleep=lambda seconds: None)
            except DBAPIError as error:
                failures.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    return thread


def test_a_batch_whose_database_connections_are_cut_carries_on_without_stuck_claims(
    app, backend, send_clock, fault_smtp, contact_list, distribute
):
    """Each claim step commits on its own, so the pool's pre-ping reconnects between them:
    the batch finishes and no row waits for the lease. (A connection lost inside a step
    gives the batch's unsent claims back on the next connection: engine.step.)"""
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    dist_id = scheduled(send_clock, distribute, [contact_list(5)])
    fault_smtp.script.hold_at_rcpt = "reporter1-2@news.example"
    failures: list[Exception] = []
    thread = _step_in_thread(app, dist_id, failures)
    assert fault_smtp.holding.wait(timeout=30)
    assert terminate_backends(app) >= 1  # the database restarts while the worker talks SMTP
    fault_smtp.resume.set()
    thread.join(timeout=60)
    final = statuses(app, dist_id)
    assert RecipientStatus.SENDING not in final.values()
    assert sorted(fault_smtp.stored) == sorted(
        email for email, status in final.items() if status is RecipientStatus.SENT
    )
    assert len(fault_smtp.stored) == 5 and not failures


def test_claims_cut_off_from_the_database_are_given_back_when_it_answers_again(
    app, backend, send_clock, fault_smtp, contact_list, distribute
):
    """The database goes away mid-batch and stays away while the worker notices: its claims
    cannot be released then, and are given back by the worker's next task once the
    database answers (beat's due check, every 5 s), not five minutes later by the lease."""
    if backend != "postgresql":
        pytest.skip("a database refusing connections is PostgreSQL's (ALLOW_CONNECTIONS)")
    dist_id = scheduled(send_clock, distribute, [contact_list(5)])
    fault_smtp.script.hold_at_rcpt = "reporter1-1@news.example"
    failures: list[Exception] = []
    thread = _step_in_thread(app, dist_id, failures)
    assert fault_smtp.holding.wait(timeout=30)
    with database_closed(app):
        fault_smtp.resume.set()  # the hand-over of the second message finds no database
        thread.join(timeout=60)
        assert failures, "the batch should have lost its database"
    assert statuses(app, dist_id)["reporter1-1@news.example"] is RecipientStatus.SENDING
    with app.app_context():
        # Beat's next due check in the same worker process (the clock has not moved: no
        # lease has passed) gives the claims back and steps the distribution (eagerly here).
        sweeps.run_due_checks()
    final = statuses(app, dist_id)
    assert set(final.values()) == {RecipientStatus.SENT}
    assert sorted(fault_smtp.stored) == sorted(final)  # each once: the cut message was discarded
    assert distribution(app, dist_id).status is DistributionStatus.FINISHED
