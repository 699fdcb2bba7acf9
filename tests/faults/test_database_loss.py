"""A database outage answers a friendly 503 with Retry-After, never a raw 500; after the
connections are cut (pg_terminate_backend, never stopping the shared server), the next
request succeeds thanks to the pool's pre-ping."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from campaign import create_app
from campaign.extensions import db, limiter
from tests.conftest import PG_SERVER


def _terminate_backends(app) -> int:
    name = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        return connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()[0]


def test_the_first_request_after_the_connections_were_cut_succeeds(
    app, backend, open_statement, client
):
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    _, slug = open_statement()
    assert client.get(f"/s/{slug}").status_code == 200  # the pool now holds a connection
    assert _terminate_backends(app) >= 1
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
