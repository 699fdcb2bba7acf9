"""Fixtures for coverage tests: a local news site (articles and feeds, written for the tests,
in the shape of coverage of a coalition letter) and a letter published in two versions."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.distribution.models import (
    Distribution,
    DistributionStatus,
    Recipient,
    RecipientStatus,
    SentDocument,
)
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Statement, StatementVersion
from campaign.statements.services import save_version
from tests.support.signon import publish_head

LETTER_TITLE = "Coalition letter opposing the Sentencing Enhancement Act"
OPENING = (
    "We, the undersigned 140 organizations, write to urge the Judiciary Committee to reject "
    "Senate Bill 12, the Sentencing Enhancement Act."
)
COST_V1 = (
    "The bill would lengthen prison terms for nonviolent offenses without making our "
    "communities any safer, and it would cost the state an estimated $340 million over ten years."
)
COST_V2 = (
    "The bill would lengthen prison terms for nonviolent offenses, divert money from treatment "
    "and reentry programs, and cost the state an estimated $410 million over ten years."
)
HEARING = (
    "We ask the committee to hold a public hearing before any vote is scheduled, so that the "
    "families most affected can be heard."
)
BODY_V1 = f"{OPENING}\n\n{COST_V1}\n\n{HEARING}"
BODY_V2 = f"{OPENING}\n\n{COST_V2}\n\n{HEARING}"


def article_html(
    headline: str, author: str, outlet: str, published: str, paragraphs: list[str]
) -> str:
    """A news page with navigation, a byline, the story and a footer, like a real one."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | {outlet}</title><meta name="author" content="{author}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}T07:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sports">Sports</a></nav>
<article><h1>{headline}</h1><p class="byline">By {author}</p>{body}</article>
<footer>© {outlet}. All rights reserved. Subscribe for daily headlines.</footer></body></html>"""


FILLER = (
    "Lawmakers return to the capitol next week with a crowded calendar, and committee staff "
    "said the schedule for the sentencing package had not been set."
)


def exact_article() -> str:
    """Quotes the current version exactly (curly quotes, other case, odd spacing)."""
    return article_html(
        "More than 140 groups urge lawmakers to reject sentencing bill",
        "Maria Ruiz",
        "Valley Herald",
        "2026-11-20",
        [
            "A coalition of more than 140 organizations, including Riverside Legal Aid, sent a "
            "letter to the Judiciary Committee on Tuesday.",
            "“The bill would lengthen prison terms for nonviolent offenses, divert money from "
            "treatment and reentry programs, and cost the state an estimated $410 million  over "
            "ten years,” the letter says.",
            "The groups also wrote: “WE ASK the committee to hold a public hearing before any vote "
            "is scheduled, so that the families most affected can be heard.”",
            FILLER,
        ],
    )


def edited_article() -> str:
    """Quotes the hearing paragraph with one word changed."""
    return article_html(
        "Advocates want a hearing on sentencing bill",
        "Sam Okafor",
        "Coastal Times",
        "2026-11-21",
        [
            "Advocates want the public to weigh in before the committee acts.",
            "In their letter they ask the committee to hold a public hearing before any vote is "
            "taken, so that the families most affected can be heard.",
            FILLER,
        ],
    )


def superseded_article() -> str:
    """Quotes the cost paragraph as the first published version had it."""
    return article_html(
        "Price tag of sentencing bill disputed",
        "Lee Chang",
        "Metro Daily",
        "2026-11-19",
        [
            "Critics of the measure point to its cost.",
            "The bill would lengthen prison terms for nonviolent offenses without making our "
            "communities any safer, and it would cost the state an estimated $340 million over "
            "ten years, the groups said.",
            FILLER,
        ],
    )


def unrelated_article() -> str:
    return article_html(
        "High school football team wins regional title",
        "Jo Park",
        "Valley Herald",
        "2026-11-22",
        ["The Riverton Otters won the regional title on Friday night.", FILLER],
    )


def feed_xml(entries: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (title, link, guid) entries."""
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{g}</guid>"
        "<pubDate>Fri, 20 Nov 2026 08:00:00 +0000</pubDate></item>"
        for t, link, g in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Statehouse news alerts</title><link>http://news.example/</link>{items}"
        "</channel></rss>"
    )


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""
    location: str = ""


@dataclass
class NewsSite:
    """What the local server serves, and how often each path was asked for."""

    pages: dict[str, Page] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    not_modified: int = 0
    base: str = ""

    def put(self, path: str, text: str, **options: Any) -> str:
        self.pages[path] = Page(text.encode(), **options)
        return self.base + path


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            page = site.pages.get(self.path)
            if page is None:
                self.send_error(404)
                return
            if page.etag and self.headers.get("If-None-Match") == page.etag:
                site.not_modified += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            if page.etag:
                self.send_header("ETag", page.etag)
                self.send_header("Last-Modified", "Fri, 20 Nov 2026 08:00:00 GMT")
            if page.location:
                self.send_header("Location", page.location)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture()
def news_site(app: Flask) -> Iterator[NewsSite]:
    """A news site on 127.0.0.1; the app may fetch private addresses while it runs."""
    site = NewsSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["FETCH_ALLOW_PRIVATE_ADDRESSES"] = True
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture()
def letter(app: Flask, make_user: Callable[..., User], make_statement: Any) -> dict[str, Any]:
    """A coalition letter published as v1, then revised and published as v2."""
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(title=LETTER_TITLE, body=BODY_V1, author=editor)
    publish_head(app, statement_id, editor, approver)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        content = Content(title=LETTER_TITLE, body=BODY_V2)
        save_version(statement, 1, content, db.session.get(User, editor.id), note="New cost")
    publish_head(app, statement_id, editor, approver)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        numbers = {
            v.number: v.id
            for v in db.session.scalars(
                select(StatementVersion).filter_by(statement_id=statement_id)
            )
        }
        return {
            "statement_id": statement_id,
            "campaign_id": statement.campaign_id,
            "v1": numbers[1],
            "v2": numbers[2],
        }


@pytest.fixture()
def sent_to(app: Flask) -> Callable[..., int]:
    """Record that a distribution of `version_id` reached a contact at `sent_at`; returns
    the distribution id (rows written directly: sending is tested elsewhere)."""

    def make(statement_id: int, version_id: int, contact_id: int, sent_at: datetime) -> int:
        with app.app_context():
            document = SentDocument(
                sha256=secrets.token_hex(32),
                filename="letter.pdf",
                size=0,
                data=b"",
            )
            dist = Distribution(
                statement_id=statement_id,
                version_id=version_id,
                document=document,
                subject="Coalition letter on SB 12",
                status=DistributionStatus.FINISHED,
                created_at=sent_at,
            )
            contact = db.session.get(Contact, contact_id)
            db.session.add(dist)
            db.session.flush()
            db.session.add(
                Recipient(
                    distribution_id=dist.id,
                    contact_id=contact.id,
                    email=contact.email,
                    name=contact.name,
                    status=RecipientStatus.SENT,
                    sent_at=sent_at,
                )
            )
            db.session.commit()
            return dist.id

    return make


def at(day: int) -> datetime:
    """Noon UTC on a day of November 2026."""
    return datetime(2026, 11, day, 12, tzinfo=UTC)
