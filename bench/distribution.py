"""Distribution throughput: 10,000 contacts through a local SMTP sink with two worker processes.

Prints recipients per second from enqueue to "finished" (two `celery worker` processes on
the Redis at 127.0.0.1:6379, PostgreSQL at 127.0.0.1:5432, an aiosmtpd sink in its own
process), median, minimum and maximum of several distributions, as a ratio to a plain
smtplib loop sending the same message over one connection in the same run (its median of
as many runs, taken in turn with them); the time to create a distribution (all recipient
rows in one transaction); and the peak memory of the worker processes. Before printing a
figure it checks, from the sink's own record, that every recipient got exactly one copy.

    .venv/bin/python bench/distribution.py [--contacts 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import smtplib
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
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
def sink_process(port: int, record: Path) -> Iterator[None]:
    """aiosmtpd in its own process, appending each message's recipients to `record`."""
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "recording_sink.Recorder"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    process = subprocess.Popen([*command, str(record), "-l", f"127.0.0.1:{port}"], env=env)
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


class Sink:
    """What the recording sink has received since the last look."""

    def __init__(self, record: Path) -> None:
        self.record, self.offset = record, 0

    def received(self) -> Counter[str]:
        """Copies per recipient received since the previous call."""
        with self.record.open("rb") as lines:
            lines.seek(self.offset)
            data = lines.read()
        self.offset += len(data)
        return Counter(data.decode().splitlines())


def peak_rss_of_tree(pid: int) -> float:
    """Peak resident memory (MB) of the largest of a process and its children, from /proc:
    a Celery worker's work happens in its pool process."""
    peaks = []
    for process in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")]
    return max(peaks, default=0) / 1024


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found] + [g for c in found for g in _children(int(c))]


@contextmanager
def workers(
    app: Flask, count: int, log_dir: Path, sessions: int | None = None
) -> Iterator[list[float]]:
    """`count` single-process Celery workers on the app's database, queue and sink; yields a
    list that holds the peak memory (MB) of each worker's processes once they are stopped."""
    extra = {"DISTRIBUTION_RATE_PER_MINUTE": "0"}
    if sessions:
        extra["DISTRIBUTION_SMTP_SESSIONS"] = str(sessions)
    env = worker_environment(app.config, **extra)
    processes = [
        start_worker(env, f"bench{number}", log_dir / f"worker-{number}.log")
        for number in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
        b"ready." in (log_dir / f"worker-{n}.log").read_bytes() for n in range(count)
    ):
        time.sleep(0.2)
    peaks: list[float] = []
    try:
        yield peaks
    finally:
        peaks += [peak_rss_of_tree(process.pid) for process in processes]
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def smtplib_loop(app: Flask, count: int, sink: Sink) -> float:
    """Baseline: one prepared message sent `count` times over one smtplib connection."""
    with app.app_context():
        dist = db.session.scalars(db.select(Distribution)).first()
        message = Composer.for_distribution(dist).build(None, "r0@news.example", "Reporter 0")
    message = message.replace(b"\n", b"\r\n")
    smtp = smtplib.SMTP("127.0.0.1", app.config["SMTP_PORT"])
    started = time.perf_counter()
    for i in range(count):
        smtp.sendmail("desk@example.org", [f"baseline{i}@news.example"], message)
    elapsed = time.perf_counter() - started
    smtp.quit()
    expected = Counter(f"baseline{i}@news.example" for i in range(count))
    check(sink.received() == expected, f"baseline: the sink holds all {count:,} messages, once")
    return count / elapsed


def distribution_run(app: Flask, version_id: int, list_id: int, sink: Sink) -> tuple[float, float]:
    """(seconds to create a distribution, recipients per second until it finished)."""
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
        count = db.session.scalar(
            select(func.count()).select_from(list_members).where(list_members.c.list_id == list_id)
        )
        check(sent == count, f"all {count:,} recipients marked sent")
        expected = Counter(f"r{i}@news.example" for i in range(count))
        check(sink.received() == expected, f"the sink holds one copy for each of {count:,}")
        return created, count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="distributions (and baselines)")
    parser.add_argument("--sessions", type=int, help="DISTRIBUTION_SMTP_SESSIONS of the workers")
    args = parser.parse_args()
    port = free_port()
    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-distribution-{port}"
    log_dir.mkdir(exist_ok=True)
    sink = Sink(log_dir / "received.txt")
    sink.record.write_bytes(b"")
    with scratch_postgres() as url, sink_process(port, sink.record):
        app = build_app(url, port)
        version_id = _release(app)
        list_id = _contact_list(app, args.contacts)
        created, rates, baselines = [], [], []
        with workers(app, 2, log_dir, args.sessions) as worker_peaks:
            for _ in range(args.repeat):
                seconds, rate = distribution_run(app, version_id, list_id, sink)
                created.append(seconds)
                rates.append(rate)
                baselines.append(smtplib_loop(app, args.contacts, sink))  # the same message
        sessions = args.sessions or app.config["DISTRIBUTION_SMTP_SESSIONS"]
        print(
            f"{args.contacts:,} recipients, 2 worker processes of {sessions} SMTP session(s), "
            "PostgreSQL, Redis, aiosmtpd sink"
        )
        print(f"create distribution (all recipient rows, PDF): {statistics.median(created):6.2f} s")
        print(f"baseline runs: {', '.join(f'{b:,.0f}/s' for b in baselines)}")
        figure(
            "distribution",
            f"distribution send rate, {args.contacts:,} recipients, 2 workers",
            Timing.of(rates),
            "/s",
            "smtplib loop on one connection",
            statistics.median(baselines),
            ">= 1.0x",
            at_least=1.0,
            peak_rss=max(worker_peaks),
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
