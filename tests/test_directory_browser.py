"""Recruitment in a real browser with CSRF on: invite, follow the personal link, sign,
and see the recruitment table change."""

from __future__ import annotations

import re
from typing import Any

import pytest

from campaign.auth.roles import Role
from campaign.signon.models import Scope
from tests.conftest import PASSWORD
from tests.test_browser_signon import _outbox_text

pytestmark = pytest.mark.browser


def test_invite_follow_personal_link_sign_and_see_the_table(
    app, live_server: str, browser: Any, page: Any, make_user, open_statement, add_organization
):
    statement_id, _ = open_statement()
    add_organization(
        "Lone Star Recovery Alliance",
        ("rosa@lonestar.example.org",),
        scope=Scope.STATE_LOCAL,
        region="Texas",
    )
    add_organization("National Peer Guild", ("ned@npg.example.org",))
    editor = make_user(Role.EDITOR)
    recruitment = f"{live_server}/statements/{statement_id}/recruitment"
    page.goto(recruitment)
    page.fill("#email", editor.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{recruitment}")
    page.select_option("#scope", "state_local")
    page.click("button:has-text('Find organizations')")
    page.check("text=Lone Star Recovery Alliance")
    assert page.locator("text=National Peer Guild").count() == 0
    page.click("button:has-text('Invite ticked')")
    page.wait_for_selector("text=1 invitation(s) sent")
    assert "1 invited" in page.inner_text(".recruit-counts")

    mail = _outbox_text(app, "rosa@lonestar.example.org")
    link = re.search(r"(http://127\.0\.0\.1:\d+/invite/[^/\s]+)\s", mail).group(1)
    signer = browser.new_context().new_page()  # the invited contact, not signed in
    signer.goto(link)
    assert signer.input_value("#organization") == "Lone Star Recovery Alliance"
    assert signer.input_value("#contact_email") == "rosa@lonestar.example.org"
    signer.fill("#contact_name", "Rosa Star")
    signer.check("#consent")
    signer.click("#submit")
    signer.wait_for_selector("text=Almost done: please check your email")
    signer.context.close()

    page.goto(recruitment)
    assert "1 signed" in page.inner_text(".recruit-counts")
    row = page.inner_text("tr:has-text('Lone Star Recovery Alliance')")
    assert "signed" in row and "(pending)" in row
