"""The press officer's send in Chromium: compose, review (the email in its frame), send a
test to me, confirm the start; pause asks first. Writes README screenshots when
SCREENSHOTS_DIR is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from campaign.distribution.models import Distribution, Recipient
from campaign.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str, **options: Any) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), **options)


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_compose_review_test_and_confirm(
    app: Any, live_server: str, page: Any, release: dict, contact_list: Any, smtp_sink: Any
) -> None:
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    contact_list(3, {2: {"do_not_contact": True}})
    page.goto(f"{live_server}/distributions/new")
    page.fill("#email", release["officer"].email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/distributions/new")
    page.check("input[name=list_ids]")
    page.fill("#pitch", "Ahead of Thursday's hearing: the ruling, with our reaction.")
    page.check("input[name=greeting_style][value=first_name]")
    page.click("text=Review the email and recipients")
    page.wait_for_selector("text=Review before sending")
    assert page.inner_text("[data-count=receive]") == "2"
    assert "do not contact" in page.inner_text(".review-skipped")
    frame = page.frame_locator(".review-frame")
    frame.locator("text=the ruling, with our reaction").wait_for()
    assert "Dear Reporter," in page.inner_text(".review-text")
    assert _count(app, Distribution) == 0 and _count(app, Recipient) == 0
    _shot(page, "send-review.png", full_page=True)

    page.click("text=Send a test to me")
    page.wait_for_selector("text=Test sent to officer@press.example")
    [test] = smtp_sink.wait_for(1)
    assert test["Subject"].startswith("[TEST]") and _count(app, Recipient) == 0

    page.once("dialog", lambda dialog: dialog.dismiss())  # "Start sending…?" -> Cancel
    page.click("text=Start sending to 2 journalists")
    assert _count(app, Distribution) == 0
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Start sending to 2 journalists")
    page.wait_for_selector("text=Sending to 2 journalists has started.")
    smtp_sink.wait_for(3)
    assert _count(app, Recipient) == 3
    page.wait_for_selector("text=finished: 2 sent, 0 failed, 1 skipped")


def test_the_email_as_received_at_desktop_and_phone_width(
    app: Any, live_server: str, browser: Any, release: dict, contact_list: Any, tmp_path: Path
) -> None:
    """The HTML part exactly as sent, opened in Chromium at 600 px and at 390 px."""
    from tests.support.distribution import drain

    app.config.update(MAIL_BACKEND="outbox", OUTBOX_DIR=str(tmp_path / "out"))
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    list_id = contact_list(1)
    from campaign.auth.models import User
    from campaign.distribution.services import Request, create_distribution

    with app.app_context():
        officer = db.session.get(User, release["officer"].id)
        dist, _ = create_distribution(
            Request(release["version_id"], [list_id], "Ruling welcomed", officer.email, pitch=""),
            officer,
        )
        drain(app, dist.id)
    from email import message_from_bytes, policy

    [sent] = (tmp_path / "out").iterdir()
    message = message_from_bytes(sent.read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    for width, name in ((600, "send-email-600.png"), (390, "send-email-phone.png")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.set_content(html)
        assert "Coalition welcomes the river clean-up ruling" in tab.inner_text("h1")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px wider than a {width}px screen"
        _shot(tab, name, full_page=True)
        context.close()
