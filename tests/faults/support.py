"""Helpers of the fault tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy.engine import make_url

from bench.scratch import PG_SERVER
from campaign.distribution.models import SendMode
from tests.conftest import MovableClock


def scheduled(send_clock: MovableClock, distribute: Any, lists: list[int]) -> int:
    """A distribution due in an hour (eager mode would otherwise send it at creation);
    the clock is then moved to its time, so a test can act as the worker."""
    at = send_clock.now + timedelta(hours=1)
    dist_id = distribute(lists, send_mode=SendMode.CHOSEN_TIME, send_at=at)
    send_clock.now = at
    return dist_id


def terminate_backends(app: Flask) -> int:
    """Cut every connection to the test database, as a PostgreSQL restart would, without
    stopping the server other people use."""
    name = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        return connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()[0]
