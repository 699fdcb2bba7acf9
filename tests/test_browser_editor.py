"""The statement editor in a real browser: sign in, type Markdown, see the sanitized preview."""

from __future__ import annotations

from campaign.auth.roles import Role
from tests.conftest import PASSWORD


def test_sign_in_and_live_preview(live_server, page, make_user, make_statement):
    editor = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor)
    page.goto(f"{live_server}/statements/{statement_id}/edit")
    page.fill("#email", editor.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"**/statements/{statement_id}/edit")
    page.fill("#body", "Hello **coalition** <script>window.pwned = 1</script>")
    page.wait_for_selector("#preview strong")
    assert page.inner_text("#preview strong") == "coalition"
    assert page.evaluate("window.pwned") is None
    assert "<script>" in page.inner_text("#preview")
    page.fill("#note", "Bolder")
    page.click("#submit")
    page.wait_for_selector("text=Saved as version 2.")
