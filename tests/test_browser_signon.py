"""The public sign-on form in a real browser, through to the public list."""

from __future__ import annotations

import html
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from campaign.auth.roles import Role

pytestmark = pytest.mark.browser


def _outbox_text(app, address):
    """The one message to `address` that the embedded mail backend wrote to the outbox."""
    messages = [
        message_from_bytes(eml.read_bytes(), policy=policy.default)
        for eml in Path(app.config["OUTBOX_DIR"]).glob("*.eml")
    ]
    [message] = [m for m in messages if m["To"] == address]
    return message.get_body(("plain",)).get_content()


def test_sign_confirm_and_see_the_list(app, live_server, page, open_statement):
    _, slug = open_statement()
    page.goto(f"{live_server}/s/{slug}/sign")
    page.fill("#organization", "Lantern Street Legal Aid")
    page.select_option("#org_type", "service_provider")
    page.select_option("#scope", "state_local")
    page.fill("#city", "Millbrook")
    page.fill("#region", "OH")
    page.fill("#website", "https://lantern.example.org")
    page.fill("#contact_name", "Rosa Lantern")
    page.fill("#contact_email", "rosa@lantern.example.org")
    page.check("#consent")
    page.click("#submit")
    page.wait_for_selector("text=Almost done: please check your email")
    link = re.search(
        r"(http://127\.0\.0\.1:\d+/signon/confirm/\S+)",
        _outbox_text(app, "rosa@lantern.example.org"),
    ).group(1)
    page.goto(link)
    page.click("button:has-text('Confirm')")  # a mail scanner's GET confirms nothing
    page.wait_for_selector("text=Lantern Street Legal Aid has signed")
    page.click("text=See the statement and its signatories")
    page.wait_for_selector("#signatories")
    assert page.inner_text("#signatories .org") == "Lantern Street Legal Aid"
    assert "1 organization" in page.inner_text(".signon-count")


def _fill_sign_on(frame) -> None:
    frame.locator("#organization").fill("Harbor Tenants Union")
    frame.locator("#org_type").select_option("service_provider")
    frame.locator("#scope").select_option("state_local")
    frame.locator("#city").fill("Millbrook")
    frame.locator("#contact_name").fill("Ada Harbor")
    frame.locator("#contact_email").fill("ada@harbor.example.org")
    frame.locator("#consent").check()


def test_embed_shrinks_after_submit_and_shows_the_confirmation(
    live_server, page, client_as, open_statement, partner_site
):
    """A partner page with text above and below the frame, built from the staff's snippet:
    after submitting at the bottom of the long form, the frame is as short as the answer and
    the answer is where the signer looks, not a screen above."""
    statement_id, _ = open_statement()
    settings = client_as(Role.EDITOR).get(f"/statements/{statement_id}/signon").text
    snippet = html.unescape(re.search(r'id="embed-snippet">(.*?)</textarea>', settings, re.S)[1])
    host = f"<!doctype html><h1>Partner</h1><p>Sign below.</p>{snippet}<p id=after>Footer</p>"
    host = host.replace("<p id=after>", '<p id=after style="height:3000px">')
    page.goto(partner_site(host))
    height = "document.getElementById('campaign-desk-signon').getBoundingClientRect().height"
    page.wait_for_function(f"{height} !== 900")  # the frame took its form's height
    form_height = page.evaluate(height)
    frame = page.frame_locator("#campaign-desk-signon")
    _fill_sign_on(frame)
    frame.locator("#submit").click()  # scrolls the partner page down to the button
    answer = frame.get_by_role("heading", name="Almost done: please check your email")
    answer.wait_for()
    page.wait_for_function(f"{height} < {form_height} / 2")
    expect(answer).to_be_in_viewport()
