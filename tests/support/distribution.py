"""Fixtures for distribution tests: a published release, many contacts at once, a slow SMTP
sink, running the engine in-process, and killing a worker with all its children."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import insert

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.contacts.lists import create_list
from campaign.contacts.models import Contact, ContactList, ListKind, list_members
from campaign.distribution import engine
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.distribution.report import Progress, progress
from campaign.distribution.services import Request, create_distribution
from campaign.extensions import db
from campaign.statements.models import Kind, Statement
from tests.conftest import MovableClock, clock_at
from tests.support.signon import publish_head
from tests.support.smtp import SMTPSink, _Collector

MONDAY_9_UTC = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture()
def send_clock(app: Flask) -> Iterator[MovableClock]:
    """The app's clock at a Monday 09:00 UTC; tests move `send_clock.now` instead of
    sleeping. The rate limit is off: its slots would wait for a clock only the test moves."""
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    with clock_at(MONDAY_9_UTC) as movable:
        yield movable


@pytest.fixture()
def release(app: Flask, make_user: Callable[..., User], make_statement: Any) -> dict[str, Any]:
    """A published press release; returns its ids and the press officer who sends it."""
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    officer = make_user(Role.PRESS_OFFICER, email="officer@press.example", name="Pat Officer")
    statement_id = make_statement(
        kind=Kind.PRESS_RELEASE,
        title="Coalition welcomes the river clean-up ruling",
        body="RIVERTON — Groups **welcomed** the ruling.\n\nA second paragraph.",
        author=editor,
    )
    publish_head(app, statement_id, editor, approver)
    with app.app_context():
        version_id = db.session.get(Statement, statement_id).published_version_id
    return {"statement_id": statement_id, "version_id": version_id, "officer": officer}


@pytest.fixture()
def contact_list(app: Flask) -> Callable[..., int]:
    """Insert `count` contacts in bulk onto a new static list; returns the list id.

    `extra` maps a contact number to column values (do_not_contact=True, ...).
    """
    counter = iter(range(1, 1000))

    def make(count: int, extra: dict[int, dict[str, Any]] | None = None) -> int:
        number = next(counter)
        with app.app_context():
            lst = create_list(f"Newsrooms {number}", ListKind.STATIC, None)
            rows = []
            for i in range(count):
                email = f"reporter{number}-{i}@news.example"
                rows.append(
                    {"name": f"Reporter {i}", "email": email, "email_key": email}
                    | (extra or {}).get(i, {})
                )
            ids = db.session.scalars(insert(Contact).returning(Contact.id), rows).all()
            db.session.execute(
                insert(list_members), [{"list_id": lst.id, "contact_id": cid} for cid in ids]
            )
            db.session.commit()
            return db.session.get(ContactList, lst.id).id

    return make


@pytest.fixture()
def distribute(app: Flask, release: dict[str, Any]) -> Callable[..., int]:
    """Create a distribution of the release to `list_ids`; returns its id."""

    def make(list_ids: list[int], **fields: Any) -> int:
        values = {
            "version_id": release["version_id"],
            "list_ids": list_ids,
            "subject": "Ruling welcomed",
            "reply_to": release["officer"].email,
        } | fields
        with app.app_context():
            officer = db.session.get(User, release["officer"].id)
            dist, _ = create_distribution(Request(**values), officer)
            return dist.id

    return make


def drain(app: Flask, distribution_id: int, limit: int = 1000) -> str:
    """Run the engine in this process until it stops, waits or finishes; returns the last word."""
    with app.app_context():
        for _ in range(limit):
            outcome = engine.step(distribution_id, sleep=lambda seconds: None)
            if outcome.endswith("finished"):
                return "finished"
            if not outcome.startswith("sent"):
                return outcome
    raise AssertionError("the distribution did not settle")


def statuses(app: Flask, distribution_id: int) -> dict[str, RecipientStatus]:
    """Recipient status by email."""
    with app.app_context():
        db.session.expire_all()
        rows = db.session.query(Recipient).filter_by(distribution_id=distribution_id)
        return {row.email: row.status for row in rows}


def summary(app: Flask, distribution_id: int) -> Progress:
    """The progress report staff see (status text, counts, note)."""
    with app.app_context():
        return progress(db.session.get(Distribution, distribution_id))


def distribution(app: Flask, distribution_id: int) -> Distribution:
    with app.app_context():
        db.session.expire_all()
        found = db.session.get(Distribution, distribution_id)
        db.session.expunge(found)
        return found


class _SlowCollector(_Collector):
    """Pauses before accepting a recipient and after storing a message (which is when real
    servers have committed it), so a kill can land in either phase of a delivery. Keeps the
    envelope recipient of each message, unparsed, so the sink is not the bottleneck."""

    async def handle_RCPT(self, *args: Any) -> str:
        await asyncio.sleep(self.sink.delay)
        return await super().handle_RCPT(*args)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.sink.lock:
            self.sink.messages.extend(envelope.rcpt_tos)
            hold = len(self.sink.messages) == self.sink.hold_at
        if hold:
            self.sink.held.set()
            self.sink.release.wait(timeout=60)  # blocks the whole server on purpose
        await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SlowSMTPSink(SMTPSink):
    """`messages` holds the envelope recipient of each message received."""

    def __init__(self, delay: float, hold_at: int = 0) -> None:
        super().__init__()
        self.delay = delay
        # At message `hold_at` the server stores it and stops answering anyone until
        # `release` is set: the moment a crash would cost a naive sender a duplicate.
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        self.controller = Controller(_SlowCollector(self), hostname="127.0.0.1", port=self.port)


@pytest.fixture()
def slow_smtp_sink(app: Flask) -> Iterator[SlowSMTPSink]:
    """Like `smtp_sink`, a little slower per message."""
    sink = SlowSMTPSink(delay=0.002, hold_at=200)
    sink.start()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port)
    yield sink
    sink.release.set()
    sink.stop()


def kill_tree(pid: int) -> None:
    """SIGKILL a worker and its pool processes at once, as a power cut would."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    for target in [pid, *children]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signal.SIGKILL)
