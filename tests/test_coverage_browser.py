"""Coverage in a real browser with CSRF on: the review page waits for the worker, then staff
confirm the candidate and mark it public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.coverage import services
from campaign.coverage.models import CoverageItem, CoverageSource, CoverageStatus
from campaign.extensions import db
from tests.conftest import PASSWORD
from tests.support import coverage as news

pytestmark = pytest.mark.browser


def test_review_page_reloads_when_read_then_confirms(
    app: Flask,
    live_server: str,
    page: Any,
    make_user: Callable[..., User],
    letter: dict[str, Any],
) -> None:
    officer = make_user(Role.PRESS_OFFICER)
    with app.app_context():
        item = CoverageItem(
            campaign_id=letter["campaign_id"],
            url="https://coastal.example/hearing",
            status=CoverageStatus.FETCHING,
            source=CoverageSource.URL,
        )
        db.session.add(item)
        db.session.commit()
        item_id = item.id
    page.goto(f"{live_server}/coverage/{item_id}")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_selector("text=A worker is reading the page")

    with app.app_context():  # what the worker does, while the page polls
        item = db.session.get(CoverageItem, item_id)
        item.headline, item.author, item.outlet = (
            "Advocates want a hearing",
            "Sam Okafor",
            "Coastal",
        )
        item.text = news.HEARING.replace("scheduled", "taken")
        services.apply_matches(item, item.text)
        item.status = CoverageStatus.CANDIDATE
        db.session.commit()
    page.wait_for_selector("text=changed quotation")
    assert page.inner_text("td.article-side ins").strip() == "taken,"

    page.fill("#region", "Coast")
    page.click("text=Confirm as coverage")
    page.wait_for_selector("text=Confirmed as coverage of the campaign.")
    page.click("text=Show in “In the news”")
    page.wait_for_selector("text=now listed under")
    with app.app_context():
        item = db.session.scalar(select(CoverageItem))
        assert (item.status, item.region, item.is_public) == (
            CoverageStatus.CONFIRMED,
            "Coast",
            True,
        )
