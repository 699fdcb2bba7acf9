"""Coverage through a real Celery worker: the worker reads an article from the local news
site, and the beat task polls due feeds and re-queues reading that was lost."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.coverage.models import CoverageFeed, CoverageItem, CoverageStatus
from campaign.extensions import db
from tests.support import coverage as news
from tests.support.waiting import wait_until


def _wait_for_items(app: Flask, count: int, seconds: float = 90) -> list[CoverageItem]:
    """Poll the rows the worker writes until `count` are read (bounded, never hangs)."""

    def read() -> list[CoverageItem] | None:
        db.session.expire_all()
        items = db.session.scalars(select(CoverageItem).order_by(CoverageItem.id)).all()
        if len(items) >= count and all(i.status is not CoverageStatus.FETCHING for i in items):
            db.session.expunge_all()
            return list(items)
        return None

    with app.app_context():
        return wait_until(read, seconds, f"{count} items to be read")


@pytest.mark.worker
def test_worker_reads_an_article_added_by_url_and_polls_a_feed(
    app: Flask,
    client_as: Any,
    news_site: news.NewsSite,
    letter: dict[str, Any],
    celery_worker: Any,
) -> None:
    celery_worker(extra_env={"FETCH_ALLOW_PRIVATE_ADDRESSES": "1"})
    client = client_as(Role.PRESS_OFFICER)
    url = news_site.put("/story", news.edited_article())
    response = client.post(
        f"/campaigns/{letter['campaign_id']}/coverage/add-url", data={"url": url}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A worker is reading the page" in page or "changed quotation" in page
    [item] = _wait_for_items(app, 1)
    assert item.status is CoverageStatus.CANDIDATE
    assert item.author == "Sam Okafor"

    quoted = news_site.put("/cost", news.superseded_article())
    feed_url = news_site.put(
        "/feed.xml", news.feed_xml([("Cost", quoted, "c1")]), content_type="application/rss+xml"
    )
    with app.app_context():
        db.session.add(CoverageFeed(campaign_id=letter["campaign_id"], url=feed_url))
        db.session.commit()
    app.extensions["celery"].tasks["coverage.poll_due"].delay()
    items = _wait_for_items(app, 2)
    assert items[1].url == quoted
    assert items[1].status is CoverageStatus.CANDIDATE
