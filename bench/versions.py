"""How a statement with a long history performs: save, diff, history page, statement page.

Builds a 5,000-word statement with 500 versions in a scratch database, then times the
500th save, a word diff of two 5,000-word versions, and the history and statement pages.
Every figure is also given as a ratio to a trivial Flask route timed in the same run, so
the numbers mean something on any machine.

    .venv/bin/python bench/versions.py [--database-url URL] [--versions 500] [--words 5000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, render_template_string
from flask_login import login_required
from report import Timing, check, figure, timed  # bench/report.py, beside this script
from scratch import scratch_app  # bench/scratch.py

from campaign.auth.models import User
from campaign.auth.permissions import ENDPOINTS, PUBLIC, SIGNED_IN
from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.campaigns.services import create_campaign
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.diffing import compare
from campaign.statements.models import Kind, Statement
from campaign.statements.services import (
    HISTORY_PAGE_SIZE,
    create_statement,
    get_version,
    save_version,
)

VOCABULARY = [
    "coalition",
    "organizations",
    "sentencing",
    "policy",
    "public",
    "health",
    "communities",
    "justice",
    "reform",
    "evidence",
    "treatment",
    "harm",
    "reduction",
    "families",
    "congress",
    "members",
    "urge",
    "reject",
    "proposal",
    "prisons",
    "decades",
    "research",
    "shows",
    "punishment",
    "deter",
    "overdose",
    "crisis",
    "support",
    "services",
]


def body_of(words: list[str]) -> str:
    """Words into paragraphs of 120, as a letter would have them."""
    return "\n\n".join(" ".join(words[i : i + 120]) for i in range(0, len(words), 120))


def revise(words: list[str], rng: random.Random) -> list[str]:
    """A typical revision: a handful of words replaced here and there."""
    changed = list(words)
    for _ in range(8):
        changed[rng.randrange(len(changed))] = rng.choice(VOCABULARY).upper()
    return changed


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    """Median wall-clock seconds of `action` (kept for the other benches that import it)."""
    return timed(action, repeat, warmup=0).median


def _empty_staff_page() -> str:
    """The floor of every staff page: a signed-in user loaded, the layout rendered."""
    return render_template_string('{% extends "base.html" %}')


def build_app(database_url: str) -> Flask:
    app = scratch_app(database_url)
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    app.add_url_rule("/bench/floor", "bench_floor", login_required(_empty_staff_page))
    ENDPOINTS.update(bench_trivial=PUBLIC, bench_floor=SIGNED_IN)
    return app


def build_history(app: Flask, versions: int, words: int) -> tuple[int, int]:
    """A statement with `versions - 1` versions, so that the next save is the measured one;
    returns the statement id and the author id."""
    rng = random.Random(2026)
    text = [rng.choice(VOCABULARY) for _ in range(words)]
    with app.app_context():
        author = create_user("bench@example.org", "Bench Editor", Role.EDITOR, "bench-password")
        campaign = create_campaign("Benchmark", "", author)
        statement = create_statement(
            campaign,
            Kind.COALITION_LETTER,
            Content(title="Long letter", body=body_of(text)),
            author,
        )
        for number in range(1, versions - 1):
            text = revise(text, rng)
            save_version(
                statement, number, Content(title="Long letter", body=body_of(text)), author
            )
        return statement.id, author.id


def time_saves(app: Flask, statement_id: int, author_id: int, repeat: int) -> Timing:
    """Each save is a new version on top of a long history: a typical revision of the head."""
    rng = random.Random(7)
    samples = []
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        author = db.session.get(User, author_id)
        for _ in range(repeat):
            head = get_version(statement, statement.head_number)
            content = Content(title="Long letter", body=body_of(revise(head.body.split(), rng)))
            started = time.perf_counter()
            save_version(statement, statement.head_number, content, author, note="measured")
            samples.append(time.perf_counter() - started)
    return Timing.of(samples)


def time_diffs(app: Flask, statement_id: int, repeat: int) -> tuple[Timing, Timing]:
    """Diff of the newest version against its predecessor (one revision) and against the
    first version (every revision, most paragraphs changed)."""
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        head = statement.head_number
        first, previous, last = (
            Content.of(get_version(statement, number)) for number in (1, head - 1, head)
        )
    check(any(d.changed for d in compare(first, last)), "v1 and the head differ in the diff")
    return timed(lambda: compare(previous, last), repeat), timed(
        lambda: compare(first, last), repeat
    )


def time_pages(app: Flask, statement_id: int, author_id: int, repeat: int) -> dict[str, Timing]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{author_id}-1"  # a new user is on session version 1
        session["_fresh"] = True
    paths = {
        "trivial route": "/bench/trivial",
        "empty staff page": "/bench/floor",
        "history page": f"/statements/{statement_id}/history",
        "statement page": f"/statements/{statement_id}",
    }
    for path in paths.values():
        check(client.get(path).status_code == 200, f"GET {path} answers 200")
    rows = client.get(paths["history page"]).get_data(as_text=True).count('name="old"')
    check(rows == min(HISTORY_PAGE_SIZE, statement_versions(app, statement_id)), "history rows")
    return {name: timed(lambda p=path: client.get(p), repeat) for name, path in paths.items()}


def statement_versions(app: Flask, statement_id: int) -> int:
    with app.app_context():
        return db.session.get(Statement, statement_id).head_number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument("--versions", type=int, default=500)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        app = build_app(url)
        statement_id, author_id = build_history(app, args.versions, args.words)
        one_revision, all_revisions = time_diffs(app, statement_id, max(3, args.repeat // 4))
        pages = time_pages(app, statement_id, author_id, args.repeat)
        saves = time_saves(app, statement_id, author_id, max(3, args.repeat // 4))
    trivial = pages["trivial route"].median
    backend = url.split(":", 1)[0]
    print(f"backend: {backend}; {args.versions} versions of {args.words:,} words")
    base = ("trivial route", trivial)
    n = args.versions
    figure("versions", f"save of version {n}", saves, "s", *base)
    figure("versions", "diff, one revision apart", one_revision, "s", *base)
    figure("versions", f"diff, v1 against v{n}", all_revisions, "s", *base, "<= 100x", at_most=100)
    floor = ("empty staff page", pages["empty staff page"].median)
    figure(
        "versions",
        "empty staff page: sign-in check + layout",
        pages["empty staff page"],
        "s",
        *base,
    )
    for page in ("history page", "statement page"):
        figure(
            "versions",
            f"{page}, {n} versions, against the empty staff page",
            pages[page],
            "s",
            *floor,
        )
    figure(
        "versions",
        f"history page, {n} versions",
        pages["history page"],
        "s",
        *base,
        "<= 5x",
        at_most=5,
    )
    figure(
        "versions",
        f"statement page, {n} versions",
        pages["statement page"],
        "s",
        *base,
        "<= 3x",
        at_most=3,
    )


if __name__ == "__main__":
    main()
