"""Sign-on under load: gunicorn on loopback, PostgreSQL, 50 concurrent clients.

Creates a scratch PostgreSQL database with one published letter open for sign-on, starts
the app under gunicorn, and fires rounds of 2,000 sign-ons from 50 concurrent clients, 10%
of them duplicates (the same organization under another spelling and another email). It prints
the median sign-ons per second of the rounds next to a trivial route served by the same
gunicorn in the same rounds (alternating, so both see the same load on a shared machine),
then checks the database: every distinct organization present exactly once, none lost.

    .venv/bin/python bench/signon.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
        [--sign-ons 2000] [--clients 50] [--workers 4] [--repeat 3]

Confirmation mails are queued on a Redis queue no worker reads (deleted at the end), so the
figures measure the web request (rate limit counted in Redis, as in production), the
database transaction and the enqueue.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
from flask import Flask
from report import Timing, check, figure  # bench/report.py, beside this script
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign import create_app  # noqa: E402
from campaign.auth.permissions import ENDPOINTS, PUBLIC  # noqa: E402
from campaign.extensions import db  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/0"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def bench_app() -> Flask:
    """The gunicorn entry point: the real app plus a trivial route as the baseline."""
    app = create_app()
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    ENDPOINTS["bench_trivial"] = PUBLIC
    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def scratch_database(server: str) -> Iterator[str]:
    name = f"bench_signon_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
        )
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database_url: str, queue: str, outbox: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "CELERY_QUEUE": queue,
        "MAIL_BACKEND": "outbox",
        "OUTBOX_DIR": outbox,
        "SECRET_KEY": secrets.token_hex(16),
        "SIGNON_RATE_LIMIT": "1000000 per minute",  # counted (in Redis, as in production)
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PYTHONPATH": str(ROOT),
    }


@contextmanager
def direct_access(database_url: str) -> Iterator[None]:
    """An app context on the scratch database for setting up and checking, outside gunicorn."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def prepare(database_url: str) -> str:
    """Schema, an editor and approver, and a published letter open for sign-on; its slug."""
    from campaign.auth.roles import Role
    from campaign.auth.services import create_user
    from campaign.campaigns.services import create_campaign
    from campaign.signon.models import SignOnSettings
    from campaign.statements.content import Content
    from campaign.statements.models import Kind
    from campaign.statements.services import create_statement
    from campaign.statements.workflow import Action, perform

    with direct_access(database_url):
        db.create_all()
        editor = create_user("editor@bench.example.org", "Editor", Role.EDITOR, "bench-password")
        approver = create_user(
            "approver@bench.example.org", "Approver", Role.APPROVER, "pw-bench-1"
        )
        campaign = create_campaign("Bench", "", editor)
        content = Content(title="Bench letter", body="We, the undersigned, ask for a hearing.")
        letter = create_statement(campaign, Kind.COALITION_LETTER, content, editor)
        for action, actor in (
            (Action.SUBMIT, editor),
            (Action.APPROVE, approver),
            (Action.PUBLISH, approver),
        ):
            perform(letter, action, actor, letter.head_number)
        db.session.add(SignOnSettings(statement_id=letter.id, open=True))
        db.session.commit()
        return letter.slug


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int) -> Iterator[None]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--pythonpath",
        str(ROOT / "bench"),
        "--log-level",
        "warning",
        "signon:bench_app()",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/trivial")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def plan(count: int, duplicates: int, seed: int = 7) -> list[dict[str, str]]:
    """`count` sign-on forms: distinct organizations plus respelled duplicates, shuffled."""
    rng = random.Random(seed)
    distinct = count - duplicates
    forms = [
        {
            "organization": f"Bench Organization {n:05d}",
            "contact_email": f"contact{n}@org{n}.example.org",
        }
        for n in range(distinct)
    ]
    for n in rng.sample(range(distinct), duplicates):
        forms.append(
            {
                "organization": f"The bench organization {n:05d}, Inc.",
                "contact_email": f"someone.else{n}@elsewhere.example.org",
            }
        )
    rng.shuffle(forms)
    common = {
        "org_type": "nonprofit",
        "scope": "national",
        "city": "Millbrook",
        "region": "OH",
        "country": "United States",
        "contact_name": "Bench Contact",
        "consent": "y",
    }
    return [common | form for form in forms]


def run_clients(
    port: int,
    clients: int,
    jobs: list[object],
    work: Callable[[http.client.HTTPConnection, object], str],
) -> tuple[float, Counter[str]]:
    """Run `work` over `jobs` from `clients` threads, each with its own keep-alive connection."""
    lock = threading.Lock()
    pending = list(reversed(jobs))
    outcomes: Counter[str] = Counter()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not pending:
                    return
                job = pending.pop()
            outcome = work(connection, job)
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, outcomes


def get_trivial(connection: http.client.HTTPConnection, _: object) -> str:
    connection.request("GET", "/bench/trivial")
    response = connection.getresponse()
    response.read()
    return "ok" if response.status == 200 else f"HTTP {response.status}"


def sign_on_work(slug: str) -> Callable[[http.client.HTTPConnection, object], str]:
    tokens: dict[int, str] = {}

    def work(connection: http.client.HTTPConnection, form: object) -> str:
        token = tokens.get(id(connection))
        if token is None:  # each client loads the form once, as a browser would
            connection.request("GET", f"/s/{slug}/sign")
            token = TOKEN.search(connection.getresponse().read().decode()).group(1)
            tokens[id(connection)] = token
        body = urllib.parse.urlencode(dict(form, csrf_token=token))  # type: ignore[call-overload]
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", f"/s/{slug}/sign", body=body, headers=headers)
        response = connection.getresponse()
        page = response.read()
        if response.status != 200:
            return f"HTTP {response.status}"
        # A new signature and a duplicate get the same answer (the form must not reveal who
        # is on file); the database check below tells them apart.
        return "check your email" if b"please check your email" in page else "unexpected page"

    return work


def verify(database_url: str, forms: list[dict[str, str]]) -> tuple[int, int, int, int]:
    """(rows, distinct organizations expected, listed twice, lost), read from the database."""
    from campaign.signon.models import Signature
    from campaign.signon.names import normalize_name

    expected = {normalize_name(form["organization"]) for form in forms}
    with direct_access(database_url):
        rows = db.session.scalar(select(func.count()).select_from(Signature))
        names = Counter(db.session.scalars(select(Signature.normalized_name)))
    twice = sum(1 for count in names.values() if count > 1)
    lost = len(expected - set(names))
    return rows, len(expected), twice, lost


def measure(
    env: dict[str, str], slug: str, rounds: list[list[dict[str, str]]], args: argparse.Namespace
) -> tuple[list[float], list[float], Counter[str], Counter[str]]:
    """(trivial route rates, sign-on rates, their answers) of each round, in one gunicorn.

    The two alternate, so both see the same load on a shared machine."""
    trivial_rates: list[float] = []
    sign_rates: list[float] = []
    trivial: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    port = free_port()
    with gunicorn(env, port, args.workers):
        run_clients(port, args.clients, [None] * 200, get_trivial)  # warm-up
        for batch in rounds:
            seconds, answers = run_clients(port, args.clients, [None] * len(batch), get_trivial)
            trivial_rates.append(len(batch) / seconds)
            trivial += answers
            seconds, answers = run_clients(port, args.clients, batch, sign_on_work(slug))
            sign_rates.append(len(batch) / seconds)
            outcomes += answers
    return trivial_rates, sign_rates, trivial, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sign-ons", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="rounds, each new organizations")
    args = parser.parse_args()
    queue = f"bench-signon-{secrets.token_hex(4)}"
    count = args.sign_ons * args.repeat
    forms = plan(count, count // 10)
    rounds = [forms[i : i + args.sign_ons] for i in range(0, count, args.sign_ons)]
    with scratch_database(args.server) as url, tempfile.TemporaryDirectory() as outbox:
        env = environment(url, queue, outbox)
        slug = prepare(url)
        trivial_rates, sign_rates, trivial, outcomes = measure(env, slug, rounds, args)
        rows, distinct, twice, lost = verify(url, forms)
    redis.Redis.from_url(REDIS_URL).delete(queue)
    trivial_rate = Timing.of(trivial_rates).median
    print(
        f"gunicorn: {args.workers} workers x 4 threads (both routes); "
        f"{args.clients} concurrent clients; {args.repeat} rounds of {args.sign_ons:,}"
    )
    print(f"responses:      {dict(outcomes)}; trivial route: {dict(trivial)}")
    print(
        f"database:       {rows:,} signatures for {distinct:,} distinct organizations; "
        f"{twice} listed twice; {lost} lost"
    )
    check(rows == distinct and twice == 0 and lost == 0, "0 listed twice, 0 lost")
    check(outcomes["check your email"] == len(forms), "every sign-on got the same answer")
    figure(
        "signon",
        f"public sign-on, {args.clients} clients",
        Timing.of(sign_rates),
        "/s",
        "trivial route in the same gunicorn",
        trivial_rate,
        ">= 0.10x",
        at_least=0.10,
    )


if __name__ == "__main__":
    main()
