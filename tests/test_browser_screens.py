"""Every staff page with the demo data, in Chromium at 1280 and 390 pixels: nothing scrolls
sideways, and axe-core finds no serious or critical accessibility violation (public pages too)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.contacts.models import Contact, ContactList
from campaign.distribution.models import Distribution
from campaign.extensions import db
from campaign.statements.models import Statement

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}


def _first(model):
    return db.session.scalar(select(model.id).order_by(model.id))


def staff_pages(app) -> list[str]:
    """One of every kind of staff page, on the demo's records."""
    with app.app_context():
        statements = list(db.session.scalars(select(Statement).order_by(Statement.id)))
        campaign_id = statements[0].campaign_id
        pages = [
            "/",
            "/notifications",
            "/profile",
            "/contacts",
            f"/contacts/{_first(Contact)}",
            "/contacts/new",
            "/contacts/import",
            "/contacts/lists",
            f"/contacts/lists/{_first(ContactList)}",
            "/distributions",
            "/distributions/new",
            "/suppressions",
            "/admin/audit",
            "/admin/settings",
            f"/campaigns/{campaign_id}",
            "/campaigns/new",
            f"/campaigns/{campaign_id}/statements/new",
        ]
        if (distribution_id := _first(Distribution)) is not None:
            pages.append(f"/distributions/{distribution_id}")
        for statement in statements:
            base = f"/statements/{statement.id}"
            pages += [base, f"{base}/edit", f"{base}/history", f"{base}/versions/1"]
            pages += [f"{base}/compare?old=1&new={statement.head_number}", f"{base}/targets"]
            pages += [f"{base}/signatories", f"{base}/signon", f"{base}/signatories/import"]
        return pages


def public_pages(app) -> list[str]:
    with app.app_context():
        published = db.session.scalars(
            select(Statement.slug).where(Statement.published_version_id.is_not(None))
        ).all()
    return ["/auth/login"] + [p for slug in published for p in (f"/s/{slug}", f"/s/{slug}/sign")]


@pytest.fixture()
def demo(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    return app


def sign_in_admin(page, live_server) -> None:
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "admin@example.org")
    page.fill("#password", "campaign-demo")
    page.click("#submit")
    page.wait_for_url(f"{live_server}/")


def test_no_page_scrolls_sideways(demo, live_server, browser):
    too_wide = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in_admin(page, live_server)
        for path in staff_pages(demo) + public_pages(demo):
            response = page.goto(f"{live_server}{path}")
            assert response.status < 400, path
            page.wait_for_load_state("networkidle")
            document_width = page.evaluate("document.documentElement.scrollWidth")
            if document_width > width:
                too_wide.append((width, path, document_width))
        context.close()
    assert too_wide == []


def test_axe_finds_no_serious_violation(demo, live_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visits = [(p, False) for p in public_pages(demo)] + [(p, True) for p in staff_pages(demo)]
    signed_in = False
    for path, staff in visits:
        if staff and not signed_in:
            sign_in_admin(page, live_server)
            signed_in = True
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append((path, violation["id"], targets))
    context.close()
    assert found == []
