"""How long the web requests of a 100,000-contact import take, inline and with worker jobs.

Drives the import pages through Flask's test client, on SQLite: once with the whole check
and write inside the requests (a threshold above the file's size), once with the default
CONTACT_IMPORT_INLINE_ROWS, where the requests only enqueue jobs on Redis (no worker runs;
the bench then runs each job in this process and times it). The inline requests are the
baseline of the same run; gunicorn's default timeout is 30 s.

    .venv/bin/python bench/contact_import_web.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import io
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.contact_import import generate_csv  # noqa: E402
from bench.scratch import REDIS_URL, scratch_app  # noqa: E402
from campaign.auth.roles import Role  # noqa: E402
from campaign.auth.services import create_user  # noqa: E402
from campaign.contacts.imports import jobs  # noqa: E402
from campaign.contacts.models import Contact  # noqa: E402
from campaign.extensions import db  # noqa: E402


def _timed(call: Callable[..., Any], *args: object, **kwargs: object) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - started, result


def _client(app: Flask) -> FlaskClient:
    with app.app_context():
        user = create_user(
            f"bench{secrets.token_hex(3)}@example.org", "Bench", Role.ADMIN, "x" * 12
        )
        user_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    return client


def _run_job(app: Flask, location: str) -> float:
    """Seconds for the worker's side of a job, run in this process."""
    with app.app_context():
        return _timed(jobs.run_job, int(location.rsplit("/", 1)[1]))[0]


def time_pages(app: Flask, data: bytes, inline_rows: int) -> dict[str, float]:
    """Seconds per request (and per job, when there are jobs) for one whole import."""
    app.config["CONTACT_IMPORT_INLINE_ROWS"] = inline_rows
    client = _client(app)
    upload = client.post(
        "/contacts/import",
        data={"file": (io.BytesIO(data), "bench.csv")},
        content_type="multipart/form-data",
    )
    columns_url = upload.headers["Location"]
    mapping = {"column_name": "0", "column_email": "1", "column_outlet": "2", "column_phone": "4"}
    client.post(columns_url, data=mapping | {"encoding": "utf-8", "on_duplicate": "merge"})
    figures: dict[str, float] = {}
    figures["preview request"], response = _timed(client.get, columns_url + "/preview")
    if response.status_code == 302:
        figures["check job"] = _run_job(app, response.headers["Location"])
        figures["preview after the job"] = _timed(client.get, columns_url + "/preview")[0]
    commit = {"on_duplicate": "merge"}
    figures["commit request"], response = _timed(client.post, columns_url + "/preview", data=commit)
    if "/jobs/" in response.headers["Location"]:
        figures["commit job"] = _run_job(app, response.headers["Location"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data = generate_csv(args.rows)
    queue = f"bench-contact-import-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory() as scratch:
        app = scratch_app(f"sqlite:///{Path(scratch) / 'bench.db'}")
        app.config["CONTACT_IMPORT_DIR"] = str(Path(scratch) / "uploads")
        inline = time_pages(app, data, inline_rows=args.rows + 1)
        app.extensions["celery"].conf.update(
            task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue
        )
        with app.app_context():
            db.session.execute(delete(Contact))
            db.session.commit()
        queued = time_pages(app, data, inline_rows=2_000)
    redis.Redis.from_url(REDIS_URL).delete(queue)
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB, SQLite")
    for name, seconds in inline.items():
        print(f"  inline {name + ':':34} {seconds:6.2f} s  (baseline)")
    for name, seconds in queued.items():
        base = inline.get(name)
        ratio = f"  ({seconds / base:6.3f}x inline)" if base else ""
        print(f"  worker path {name + ':':29} {seconds:6.2f} s{ratio}")


if __name__ == "__main__":
    main()
