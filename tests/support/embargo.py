"""Fixtures for embargo and newsroom tests: a movable clock and an embargoed release."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.statements.models import Kind, ReleaseType
from tests.conftest import MovableClock, clock_at, load_statement, log_in

# "EMBARGOED UNTIL December 8, 9:00 AM CST", as in the report that opened issue 13.
LIFT = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
BEFORE = LIFT - timedelta(days=7)
SECRET_WORDS = "The coalition will announce a settlement worth 40 million"


@pytest.fixture()
def moment() -> Iterator[MovableClock]:
    """The app's clock stands at a week before the lift until the test moves it."""
    with clock_at(BEFORE) as movable:
        yield movable


@dataclass
class Embargoed:
    """An approved press release under embargo, and the clients that act on it."""

    statement_id: int
    slug: str
    editor: FlaskClient
    approver: FlaskClient
    editor_user: User
    approver_user: User


def act(client: FlaskClient, statement_id: int, action: str, seen: int, **extra: str) -> Any:
    data = {"seen_version": str(seen)} | extra
    return client.post(
        f"/statements/{statement_id}/workflow/{action}", data=data, follow_redirects=True
    )


@pytest.fixture()
def embargoed(
    app: Flask, moment: MovableClock, make_user: Callable[..., User], make_statement: Any
) -> Embargoed:
    """A press release embargoed until LIFT (America/Chicago), submitted and approved."""
    editor_user, approver_user = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(
        kind=Kind.PRESS_RELEASE,
        title="Coalition reaches settlement with the state",
        body=SECRET_WORDS + ".\n\nA second paragraph.",
        author=editor_user,
        release_type=ReleaseType.EMBARGOED,
        embargo_until=LIFT,
        embargo_timezone="America/Chicago",
    )
    editor = log_in(app.test_client(), editor_user)
    approver = log_in(app.test_client(), approver_user)
    act(editor, statement_id, "submit", 1)
    act(approver, statement_id, "approve", 1)
    slug = load_statement(app, statement_id).slug
    return Embargoed(statement_id, slug, editor, approver, editor_user, approver_user)


def public_surfaces(client: FlaskClient, slug: str) -> dict[str, Any]:
    """Every public address that could show a statement's words, fetched once."""
    paths = {
        "page": f"/s/{slug}",
        "pdf": f"/s/{slug}/pdf",
        "sign": f"/s/{slug}/sign",
        "embed": f"/s/{slug}/embed",
        "og": f"/s/{slug}/og.png",
        "newsroom": "/newsroom",
        "search": "/newsroom?q=settlement",
        "rss": "/newsroom/feed.rss",
        "atom": "/newsroom/feed.atom",
        "sitemap": "/sitemap.xml",
        "press_kit": "/newsroom/press-kit",
    }
    return {name: client.get(path) for name, path in paths.items()}
