"""Distribution throughput: 10,000 contacts through a local SMTP sink with two worker processes.

Prints recipients per second from enqueue to "finished" (two `celery worker` processes on
the Redis at 127.0.0.1:6379, PostgreSQL at 127.0.0.1:5432, an aiosmtpd sink in its own
process), as a ratio to a plain smtplib loop sending the same message over one connection
in the same run; the time to create the distribution (all recipient rows in one
transaction); and the import time of 100,000 contacts (bench/contact_import.py's figure).

    .venv/bin/python bench/distribution.py [--contacts 10000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from report import Timing, check, figure  # bench/report.py, beside this script
from scratch import REDIS_URL, scratch_app, scratch_postgres, start_worker, worker_environment
from sqlalchemy import func, insert, select

from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.campaigns.services import create_campaign
from campaign.contacts.lists import create_list
from campaign.contacts.models import Contact, ListKind, list_members
from campaign.distribution.message import Composer
from campaign.distribution.models import (
    Distribution,
    DistributionStatus,
    Recipient,
    RecipientStatus,
)
from campaign.distribution.services import Request, create_distribution
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Kind
from campaign.statements.services import create_statement
from campaign.statements.workflow import Action, perform

BODY = "RIVERTON — A coalition of river groups welcomed the ruling today.\n\n" * 12


def build_app(database_url: str, smtp_port: int) -> Flask:
    """An app on a fresh schema that enqueues on Redis and mails the sink."""
    return scratch_app(
        database_url,
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_RESULT_BACKEND=REDIS_URL,
        CELERY_QUEUE=f"campaign-bench-{secrets.token_hex(4)}",
        CELERY_TASK_ALWAYS_EAGER=False,
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_port,
        PUBLIC_BASE_URL="http://localhost",
        DISTRIBUTION_RATE_PER_MINUTE=0,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _release(app: Flask) -> int:
    """A published press release; returns the id of its published version."""
    with app.app_context():
        editor = create_user("editor@bench.example", "Eden", Role.EDITOR, "bench-password")
        approver = create_user("approver@bench.example", "Alex", Role.APPROVER, "bench-password")
        campaign = create_campaign("Bench campaign", "", editor)
        content = Content(title="River ruling welcomed", body=BODY)
        statement = create_statement(campaign, Kind.PRESS_RELEASE, content, editor)
        for action, actor in ((Action.SUBMIT, editor), (Action.APPROVE, approver)):
            perform(statement, action, actor, statement.head_number)
        perform(statement, Action.PUBLISH, approver, statement.head_number)
        return statement.published_version_id


def _contact_list(app: Flask, count: int) -> int:
    with app.app_context():
        lst = create_list("Bench newsrooms", ListKind.STATIC, None)
        rows = [
            {
                "name": f"Reporter {i}",
                "email": f"r{i}@news.example",
                "email_key": f"r{i}@news.example",
            }
            for i in range(count)
        ]
        ids = db.session.scalars(insert(Contact).returning(Contact.id), rows).all()
        db.session.execute(
            insert(list_members), [{"list_id": lst.id, "contact_id": i} for i in ids]
        )
        db.session.commit()
        return lst.id


@contextmanager
def sink_process(port: int) -> Iterator[None]:
    """aiosmtpd in its own process, discarding what it receives."""
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    process = subprocess.Popen([*command, "-l", f"127.0.0.1:{port}"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def workers(app: Flask, count: int, log_dir: Path) -> Iterator[None]:
    """`count` single-process Celery workers on the app's database, queue and sink."""
    env = worker_environment(app.config, DISTRIBUTION_RATE_PER_MINUTE="0")
    processes = [
        start_worker(env, f"bench{number}", log_dir / f"worker-{number}.log")
        for number in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
        b"ready." in (log_dir / f"worker-{n}.log").read_bytes() for n in range(count)
    ):
        time.sleep(0.2)
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def smtplib_loop(app: Flask, version_id: int, count: int) -> float:
    """Baseline: one prepared message sent `count` times over one smtplib connection."""
    with app.app_context():
        dist = db.session.scalars(db.select(Distribution)).first()
        message = Composer.for_distribution(dist).build(None, "r0@news.example", "Reporter 0")
    message = message.replace(b"\n", b"\r\n")
    smtp = smtplib.SMTP("127.0.0.1", app.config["SMTP_PORT"])
    started = time.perf_counter()
    for i in range(count):
        smtp.sendmail("desk@example.org", [f"r{i}@news.example"], message)
    elapsed = time.perf_counter() - started
    smtp.quit()
    return count / elapsed


def distribution_run(app: Flask, version_id: int, list_id: int, count: int) -> tuple[float, float]:
    """(seconds to create the distribution, recipients per second until it finished)."""
    with app.app_context():
        started = time.perf_counter()
        request = Request(version_id, [list_id], "River ruling welcomed", "press@bench.example")
        dist, queued = create_distribution(request, None)
        created = time.perf_counter() - started
        assert queued, "the Redis queue was not reachable"
        while True:
            db.session.expire_all()
            if db.session.get(Distribution, dist.id).status is DistributionStatus.FINISHED:
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started - created
        sent = db.session.scalar(
            select(func.count())
            .select_from(Recipient)
            .where(Recipient.distribution_id == dist.id, Recipient.status == RecipientStatus.SENT)
        )
        check(sent == count, f"all {count:,} recipients sent, each once")
        return created, count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    args = parser.parse_args()
    port = free_port()
    with scratch_postgres() as url, sink_process(port):
        app = build_app(url, port)
        version_id = _release(app)
        list_id = _contact_list(app, args.contacts)
        log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-distribution-{port}"
        log_dir.mkdir(exist_ok=True)
        with workers(app, 2, log_dir):
            created, rate = distribution_run(app, version_id, list_id, args.contacts)
        baseline = smtplib_loop(app, version_id, args.contacts)
        print(f"{args.contacts:,} recipients, 2 worker processes, PostgreSQL, Redis, aiosmtpd sink")
        print(f"create distribution (all recipient rows, PDF): {created:6.2f} s")
        figure(
            "distribution",
            f"distribution send rate, {args.contacts:,} recipients, 2 workers",
            Timing(rate, rate, rate),
            "/s",
            "smtplib loop on one connection",
            baseline,
            ">= 1.0x",
            at_least=1.0,
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
