"""The public sign-on form in a real browser, through to the public list."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest

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
