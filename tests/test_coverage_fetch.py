"""The safe fetcher: private addresses refused unless allowed, redirects re-checked, limits."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.coverage.models import CoverageItem, CoverageStatus
from campaign.extensions import db
from campaign.netfetch import FetchError, Limits, check_url, fetch
from tests.support import coverage as news

ALLOWED = Limits(allow_private=True, timeout=10)


def _add_and_load(app: Flask, client: Any, campaign_id: int, url: str) -> CoverageItem:
    client.post(f"/campaigns/{campaign_id}/coverage/add-url", data={"url": url})
    with app.app_context():
        item = db.session.scalar(select(CoverageItem).where(CoverageItem.url == url))
        db.session.expunge(item)
        return item


def test_private_address_refused_when_not_allowed(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    app.config["FETCH_ALLOW_PRIVATE_ADDRESSES"] = False
    url = news_site.put("/story", news.exact_article())
    item = _add_and_load(app, client_as(Role.PRESS_OFFICER), letter["campaign_id"], url)
    assert item.status is CoverageStatus.FAILED
    assert "private or local address" in item.error
    assert news_site.hits == {}  # the request never left


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:6379/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_loopback_hosts_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local"):
        fetch(url, Limits(allow_private=False, timeout=5))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://example.org/", "Only http and https"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        check_url(url)


def test_redirects_are_followed_and_rechecked(app: Flask, news_site: news.NewsSite) -> None:
    target = news_site.put("/final", "<p>hello</p>")
    start = news_site.put("/moved", "", status=302, location="/final")
    result = fetch(start, ALLOWED)
    assert (result.status, result.url, result.body) == (200, target, b"<p>hello</p>")
    news_site.put("/to-file", "", status=301, location="file:///etc/passwd")
    with pytest.raises(FetchError, match="Only http and https"):
        fetch(news_site.base + "/to-file", ALLOWED)
    news_site.put("/loop", "", status=302, location="/loop")
    with pytest.raises(FetchError, match="redirects"):
        fetch(news_site.base + "/loop", ALLOWED)


def test_size_limit_and_non_html_pages(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    big = news_site.put("/big", "x" * 5000)
    with pytest.raises(FetchError, match="larger than 1,000 bytes"):
        fetch(big, Limits(allow_private=True, max_bytes=1000, timeout=10))
    app.config["FETCH_MAX_BYTES"] = 1000
    client = client_as(Role.PRESS_OFFICER)
    item = _add_and_load(app, client, letter["campaign_id"], news_site.put("/long", "y" * 5000))
    assert item.status is CoverageStatus.FAILED and "larger than" in item.error
    app.config["FETCH_MAX_BYTES"] = 5_000_000
    pdf = news_site.put("/clip.pdf", "%PDF-1.4", content_type="application/pdf")
    item = _add_and_load(app, client, letter["campaign_id"], pdf)
    assert item.status is CoverageStatus.FAILED and "application/pdf" in item.error
    missing = news_site.base + "/gone"
    item = _add_and_load(app, client, letter["campaign_id"], missing)
    assert item.status is CoverageStatus.FAILED and "404" in item.error
    page = client.get(f"/coverage/{item.id}").get_data(as_text=True)
    assert "The page could not be read" in page


def test_add_by_url_refuses_bad_scheme_and_duplicates(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    client = client_as(Role.PRESS_OFFICER)
    campaign_id = letter["campaign_id"]
    response = client.post(
        f"/campaigns/{campaign_id}/coverage/add-url", data={"url": "javascript:alert(1)"}
    )
    assert response.status_code == 422
    assert "Only http and https" in response.get_data(as_text=True)
    url = news_site.put("/story", news.exact_article())
    assert (
        client.post(f"/campaigns/{campaign_id}/coverage/add-url", data={"url": url}).status_code
        == 302
    )
    again = client.post(f"/campaigns/{campaign_id}/coverage/add-url", data={"url": url})
    assert again.status_code == 422
    assert "already recorded" in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(CoverageItem)).all()) == 1
