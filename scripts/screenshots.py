"""Screenshots of the main pages for the README, taken in headless Chromium on demo data.

Serves a fresh app (SQLite in a scratch folder, CSRF on, the demo data loaded) on loopback,
signs in as the demo user each page is meant for, and writes one PNG per page to
docs/screenshots/. Pages are located from the demo data, so ids never go stale.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from campaign import create_app
from campaign.demo.cli import DEMO_PASSWORD, DEMO_USERS, seed_demo
from campaign.distribution.models import Distribution
from campaign.extensions import db
from campaign.review.models import ReviewInvitee
from campaign.review.services import invitation_url
from campaign.statements.models import Kind, Statement
from campaign.targets.models import Delivery

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Shot:
    name: str
    role: str
    path: Callable[[], str]
    prepare: Callable[[Page], None] | None = None


def demo_statement(kind: Kind) -> Statement:
    return db.session.scalars(select(Statement).where(Statement.kind == kind)).first()


def scroll_to(selector: str) -> Callable[[Page], None]:
    """Bring a part of a long page to the top of the shot."""

    def prepare(page: Page) -> None:
        page.locator(selector).evaluate("element => element.scrollIntoView()")

    return prepare


SAMPLE_IMPORT = (
    "Name,E-mail address,Publication,Telephone,Tags\n"
    "Rosa Delgado,rosa.delgado@valleyherald.example,Valley Herald,(202) 555-0142,justice\n"
    "Ben Okafor,ben.okafor@,Capitol Radio,555-01,radio\n"
    'Ines Marchetti,ines@metrowire.example,Metro Wire,+1 212 555 0199,"health, policy"\n'
)


def import_preview(page: Page) -> None:
    """Walk the contact import to its preview with a file holding one bad line."""
    page.set_input_files(
        "input[type=file]",
        {"name": "journalists.csv", "mimeType": "text/csv", "buffer": SAMPLE_IMPORT.encode()},
    )
    page.click("#submit")
    page.wait_for_load_state()
    page.click("#submit")
    page.wait_for_load_state()


def typeset_preview(page: Page) -> None:
    """Wait for the editor's preview frame, then show the form beside it."""
    page.frame_locator("#preview").locator("h1").wait_for()
    page.locator("#title").evaluate("element => element.scrollIntoView()")


def first(model: type) -> Any:
    """The oldest demo row of a table."""
    return db.session.scalars(select(model).order_by(model.id)).first()


def letter() -> Statement:
    return demo_statement(Kind.COALITION_LETTER)


def release() -> Statement:
    return demo_statement(Kind.PRESS_RELEASE)


def partner_review_path() -> str:
    """The first demo partner's own review link, as mailed to them."""
    return urlsplit(invitation_url(first(ReviewInvitee))).path


def shots() -> list[Shot]:
    """What to photograph: (file name, demo role, path found in the demo data)."""
    return [
        Shot("home-editor", "editor", lambda: "/"),
        Shot("home-approver", "approver", lambda: "/"),
        Shot("home-press", "press_officer", lambda: "/"),
        Shot("home-viewer", "viewer", lambda: "/"),
        Shot("notifications", "approver", lambda: "/notifications"),
        Shot("profile", "editor", lambda: "/profile"),
        Shot(
            "statement-editor",
            "editor",
            lambda: f"/statements/{release().id}/edit",
            typeset_preview,
        ),
        Shot("statement-page", "editor", lambda: f"/statements/{release().id}"),
        Shot("version-history", "editor", lambda: f"/statements/{letter().id}/history"),
        Shot(
            "version-compare",
            "editor",
            lambda: f"/statements/{letter().id}/compare?old=1&new={letter().head_number}",
        ),
        Shot("public-statement", "", lambda: f"/s/{letter().slug}"),
        Shot("public-signatories", "", lambda: f"/s/{letter().slug}", scroll_to("#signatories")),
        Shot("signon-form", "", lambda: f"/s/{letter().slug}/sign", scroll_to("#sign")),
        Shot("signon-settings", "editor", lambda: f"/statements/{letter().id}/signon"),
        Shot("signatories", "editor", lambda: f"/statements/{letter().id}/signatories"),
        Shot(
            "print-preview",
            "press_officer",
            lambda: f"/statements/{release().id}/versions/{release().head_number}/print",
        ),
        Shot("contacts", "press_officer", lambda: "/contacts"),
        Shot("contact-lists", "press_officer", lambda: "/contacts/lists"),
        Shot("contact-import-preview", "press_officer", lambda: "/contacts/import", import_preview),
        Shot("distribution-new", "press_officer", lambda: "/distributions/new"),
        Shot("distribution", "press_officer", lambda: f"/distributions/{first(Distribution).id}"),
        Shot("suppressions", "press_officer", lambda: "/suppressions"),
        Shot("partner-review", "", partner_review_path),
        Shot(
            "review-comments",
            "editor",
            lambda: f"/statements/{release().id}/versions/{release().head_number}/review",
        ),
        Shot("targets", "editor", lambda: f"/statements/{letter().id}/targets"),
        Shot("delivery", "editor", lambda: f"/deliveries/{first(Delivery).id}"),
        Shot("audit-log", "admin", lambda: "/admin/audit"),
        Shot("users", "admin", lambda: "/admin/users/"),
        Shot("site-settings", "admin", lambda: "/admin/settings"),
    ]


def demo_app(folder: Path) -> Flask:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}",
            "OUTBOX_DIR": str(folder / "outbox"),
            "CELERY_TASK_ALWAYS_EAGER": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        seed_demo()
    return app


def sign_in(page: Page, base: str, role: str) -> None:
    email = next(email for r, (email, _) in DEMO_USERS.items() if r.value == role)
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_load_state()


def photograph(app: Flask, base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for shot in shots():
            context = browser.new_context(viewport={"width": 1280, "height": 860})
            page = context.new_page()
            if shot.role:
                sign_in(page, base, shot.role)
            with app.app_context():
                path = shot.path()
            page.goto(base + path)
            if shot.prepare:
                shot.prepare(page)
            page.screenshot(path=OUT / f"{shot.name}.png")
            print(f"docs/screenshots/{shot.name}.png  <- {path}")
            context.close()
        browser.close()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        app = demo_app(Path(scratch))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        app.config["PUBLIC_BASE_URL"] = base
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            photograph(app, base)
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
