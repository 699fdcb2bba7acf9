"""The print preview in a real Chromium: the PDF's template, stylesheet and shipped fonts."""

from __future__ import annotations

import pytest

from campaign.auth.roles import Role
from tests.conftest import PASSWORD


@pytest.mark.browser
def test_print_preview_renders_with_the_shipped_fonts(
    live_server, page, make_user, make_statement, tmp_path
):
    officer = make_user(Role.PRESS_OFFICER)
    statement_id = make_statement(title="Preview in a browser", addressee="To the Committee")
    page.goto(f"{live_server}/statements/{statement_id}")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"**/statements/{statement_id}")
    with page.expect_popup() as popup:
        page.click("text=Print preview")
    preview = popup.value
    preview.wait_for_load_state("networkidle")
    assert preview.inner_text("h1.title") == "Preview in a browser"
    family = preview.evaluate("getComputedStyle(document.querySelector('.body p')).fontFamily")
    assert family.startswith('"Desk Serif"')
    loaded = preview.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family))"
    )
    assert '"Desk Serif"' in loaded or "Desk Serif" in loaded
    preview.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
