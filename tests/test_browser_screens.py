"""Every staff and public page with the demo data, in Chromium at 1280 and 390 pixels: nothing
scrolls sideways, and axe-core finds no serious or critical accessibility violation."""

from __future__ import annotations

import pytest

from tests.support.pages import every_page, unexplained

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}


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


def _visits(app) -> list[tuple[str, bool]]:
    """(path, staff): the public pages first, as a visitor sees them, then the staff pages."""
    pages = every_page(app)
    extra = ["/statements/1/signatories?page=2", "/admin/audit?page=2"]
    return [(p, False) for p in pages.public] + [(p, True) for p in [*pages.staff, *extra]]


def _serious(axe, page, path: str) -> list[tuple[str, str, list]]:
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append((path, violation["id"], targets))
    return found


def test_every_page_fits_both_widths_and_passes_axe(demo, live_server, browser):
    """One walk per width over every page (statement pages once per kind of statement): the
    document is never wider than the viewport, and at 1280 pixels axe-core finds no serious
    or critical violation. Every GET page is visited or NOT_VISITED says why."""
    from axe_playwright_python.sync_playwright import Axe

    assert unexplained(demo, every_page(demo)) == set()
    axe, visits = Axe(), _visits(demo)
    too_wide, violations = [], []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        signed_in = False
        for path, staff in visits:
            if staff and not signed_in:
                sign_in_admin(page, live_server)
                signed_in = True
            response = page.goto(f"{live_server}{path}")
            assert response.status < 400, path
            document_width = page.evaluate("document.documentElement.scrollWidth")
            if document_width > width:
                too_wide.append((width, path, document_width))
            if width == WIDTHS[0]:
                violations += _serious(axe, page, path)
        context.close()
    assert too_wide == []
    assert violations == []
