"""Coverage: add by URL (a worker reads a page on a local news site), quote matching with
exact, lightly edited and superseded quotations, review, attribution, CSV, the newsroom list."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.coverage.models import CoverageItem, CoverageStatus
from campaign.coverage.services import public_coverage_items
from campaign.extensions import db
from tests.support import coverage as news


def _item(app: Flask, url: str) -> CoverageItem:
    with app.app_context():
        item = db.session.scalar(select(CoverageItem).where(CoverageItem.url == url))
        assert item is not None
        _ = [m.version.number for m in item.matches], item.text, item.contact, item.distribution
        db.session.expunge_all()
        return item


def _add(client: Any, campaign_id: int, url: str) -> Any:
    return client.post(f"/campaigns/{campaign_id}/coverage/add-url", data={"url": url})


def test_add_by_url_extracts_the_article_and_finds_exact_quotes(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    url = news_site.put("/politics/groups-urge-veto", news.exact_article())
    response = _add(client_as(Role.PRESS_OFFICER), letter["campaign_id"], url)
    assert response.status_code == 302
    item = _item(app, url)
    assert item.status is CoverageStatus.CANDIDATE
    assert item.headline == "More than 140 groups urge lawmakers to reject sentencing bill"
    assert item.author == "Maria Ruiz"
    assert item.outlet == "Valley Herald"
    assert str(item.published_on) == "2026-11-20"
    assert item.language == "en"
    assert "Subscribe for daily headlines" not in item.text  # the footer is not the story
    assert [m.version_id for m in item.matches] == [letter["v2"], letter["v2"]]
    assert not any(m.superseded or m.changed for m in item.matches)
    assert item.matches[0].passage.startswith("The bill would lengthen")
    assert item.matches[1].passage.startswith("WE ASK the committee")
    assert item.named_orgs == []  # no signatory rows in this campaign


def test_lightly_edited_quote_is_flagged_changed_and_highlighted(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    url = news_site.put("/hearing", news.edited_article())
    client = client_as(Role.PRESS_OFFICER)
    _add(client, letter["campaign_id"], url)
    item = _item(app, url)
    [match] = item.matches
    assert match.changed and not match.superseded
    assert match.version_id == letter["v2"]
    page = client.get(f"/coverage/{item.id}").get_data(as_text=True)
    assert "changed quotation" in page
    assert "<ins>taken, </ins>" in page
    assert "<del>scheduled, </del>" in page


def test_quote_from_a_superseded_version_is_flagged(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    url = news_site.put("/cost", news.superseded_article())
    client = client_as(Role.PRESS_OFFICER)
    _add(client, letter["campaign_id"], url)
    item = _item(app, url)
    [match] = item.matches
    assert match.version_id == letter["v1"]
    assert match.superseded and not match.changed
    assert "$340 million" in match.passage
    page = client.get(f"/coverage/{item.id}").get_data(as_text=True)
    assert "superseded: not in the version public now" in page
    assert "version 1" in page


def test_confirm_attributes_to_contact_and_the_distribution_of_the_quoted_version(
    app: Flask,
    client_as: Any,
    news_site: news.NewsSite,
    letter: dict[str, Any],
    sent_to: Any,
) -> None:
    with app.app_context():
        maria = Contact(
            name="María Ruiz",
            outlet="Valley Herald",
            email="mr@vh.example",
            email_key="mr@vh.example",
        )
        namesake = Contact(
            name="Maria Ruiz",
            outlet="Other Gazette",
            email="m@og.example",
            email_key="m@og.example",
        )
        db.session.add_all([maria, namesake])
        db.session.commit()
        maria_id, namesake_id = maria.id, namesake.id
    first = sent_to(letter["statement_id"], letter["v1"], maria_id, news.at(10))
    second = sent_to(letter["statement_id"], letter["v2"], maria_id, news.at(18))
    sent_to(letter["statement_id"], letter["v2"], namesake_id, news.at(18))
    sent_to(letter["statement_id"], letter["v2"], maria_id, news.at(25))  # after publication
    url = news_site.put("/politics/groups-urge-veto", news.exact_article())
    client = client_as(Role.PRESS_OFFICER)
    _add(client, letter["campaign_id"], url)
    item = _item(app, url)
    response = client.post(
        f"/coverage/{item.id}/confirm",
        data={
            "url": url,
            "outlet": "Valley Herald",
            "headline": item.headline,
            "author": "Maria Ruiz",
            "published_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    item = _item(app, url)
    assert item.status is CoverageStatus.CONFIRMED
    assert item.contact_id == maria_id  # the namesake at another outlet is not her
    assert item.distribution_id == second != first
    assert item.attribution == (
        "María Ruiz, Valley Herald: received v2 on Nov 18, published Nov 20, quoted 2 passages"
    )
    page = client.get(f"/contacts/{maria_id}").get_data(as_text=True)
    assert "More than 140 groups urge lawmakers" in page
    assert "Coalition letter on SB 12 (v1): sent" in page


def test_feed_candidate_only_for_articles_that_quote_or_name(
    app: Flask, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    from campaign.campaigns.models import Campaign
    from campaign.coverage import feeds

    quoted = news_site.put("/a/quoted", news.superseded_article())
    other = news_site.put("/a/football", news.unrelated_article())
    feed_url = news_site.put(
        "/feed.xml",
        news.feed_xml([("Price tag", quoted, "g1"), ("Football", other, "g2")]),
        content_type="application/rss+xml",
        etag='"one"',
    )
    with app.app_context():
        campaign = db.session.get(Campaign, letter["campaign_id"])
        feed = feeds.add_feed(campaign, feed_url, "", None)  # eager: first poll ran
        db.session.refresh(feed)
        assert feed.title == "Statehouse news alerts"
        assert feed.etag == '"one"'
        assert "2 new entries, 1 candidates" in feed.last_result
        items = db.session.scalars(select(CoverageItem)).all()
        assert [i.url for i in items] == [quoted]
        assert items[0].status is CoverageStatus.CANDIDATE
        feed_id = feed.id

        again = feeds.poll_feed(feed_id)  # unchanged: a 304, no article fetched again
        assert again is not None and not again.modified
        assert news_site.not_modified == 1
        assert news_site.hits["/a/quoted"] == 1 and news_site.hits["/a/football"] == 1

        fresh = news_site.put("/a/hearing", news.edited_article())
        news_site.put(
            "/feed.xml",
            news.feed_xml(
                [("Hearing", fresh, "g3"), ("Price tag", quoted, "g1"), ("Football", other, "g2")]
            ),
            content_type="application/rss+xml",
            etag='"two"',
        )
        changed = feeds.poll_feed(feed_id)
        assert changed is not None and changed.modified
        assert (changed.new_entries, changed.candidates) == (1, 1)
        assert news_site.hits["/a/quoted"] == 1 and news_site.hits["/a/hearing"] == 1
        assert db.session.get(type(feed), feed_id).etag == '"two"'
        assert len(db.session.scalars(select(CoverageItem)).all()) == 2


def test_add_by_hand_csv_import_and_export(
    app: Flask, client_as: Any, letter: dict[str, Any]
) -> None:
    client = client_as(Role.PRESS_OFFICER)
    campaign_id = letter["campaign_id"]
    response = client.post(
        f"/campaigns/{campaign_id}/coverage/new",
        data={
            "url": "https://radio.example/evening-news",
            "outlet": "Valley Public Radio",
            "headline": "Evening news",
            "text": f"The letter said: {news.HEARING}",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    bad = "url,outlet,published_on\nftp://x.example/a,Paper,2026-11-20\nhttps://ok.example/b,Paper,20/11/2026\n"
    response = client.post(
        f"/campaigns/{campaign_id}/coverage/import",
        data={"file": (io.BytesIO(bad.encode()), "clips.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Only http and https" in page and "is not a date" in page
    good = (
        "url,outlet,headline,author,published_on,region\n"
        "https://paper.example/a,Daily Paper,Groups object,Ann Lee,2026-11-21,North\n"
        "https://radio.example/evening-news,Valley Public Radio,,,,\n"
    )
    response = client.post(
        f"/campaigns/{campaign_id}/coverage/import",
        data={"file": (io.BytesIO(good.encode()), "clips.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Imported 1 item(s); 1 already recorded were skipped." in response.get_data(as_text=True)
    exported = client.get(f"/campaigns/{campaign_id}/coverage.csv").get_data(as_text=True)
    lines = exported.strip().splitlines()
    assert lines[0].startswith("url,outlet,headline,author,published_on")
    assert len(lines) == 3
    radio = next(line for line in lines if "radio.example" in line)
    assert ",confirmed,no,v2,1," in radio


def test_newsroom_lists_only_confirmed_items_marked_public(
    app: Flask, client_as: Any, letter: dict[str, Any]
) -> None:
    client = client_as(Role.PRESS_OFFICER)
    campaign_id = letter["campaign_id"]
    client.post(
        f"/campaigns/{campaign_id}/coverage/new",
        data={"url": "https://paper.example/story", "headline": "Groups object", "outlet": "Paper"},
    )
    with app.app_context():
        item_id = db.session.scalar(select(CoverageItem.id))
        assert public_coverage_items(5) == []
    client.post(f"/coverage/{item_id}/public", data={"public": "1"})
    with app.app_context(), app.test_request_context():
        assert [i.id for i in public_coverage_items(5)] == [item_id]
        html = app.jinja_env.get_template("coverage/_in_the_news.html").render()
        assert "In the news" in html and "Groups object" in html
    client.post(f"/coverage/{item_id}/dismiss")
    with app.app_context():
        assert public_coverage_items(5) == []


def test_viewers_cannot_add_or_confirm(app: Flask, client_as: Any, letter: dict[str, Any]) -> None:
    viewer = client_as(Role.VIEWER)
    campaign_id = letter["campaign_id"]
    # Items say which journalist received which version: press officers and admins only.
    assert viewer.get(f"/campaigns/{campaign_id}/coverage").status_code == 403
    assert viewer.get(f"/campaigns/{campaign_id}/impact").status_code == 200
    response = _add(viewer, campaign_id, "https://paper.example/x")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(CoverageItem.id)) is None


def test_feed_pages_add_poll_and_remove(
    app: Flask, client_as: Any, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    from campaign.coverage.models import CoverageFeed

    client = client_as(Role.PRESS_OFFICER)
    campaign_id = letter["campaign_id"]
    bad = client.post(f"/campaigns/{campaign_id}/coverage/feeds", data={"url": "ftp://x.example/"})
    assert bad.status_code == 422 and "Only http and https" in bad.get_data(as_text=True)
    quoted = news_site.put("/a/quoted", news.superseded_article())
    feed_url = news_site.put(
        "/feed.xml", news.feed_xml([("Price", quoted, "g1")]), content_type="application/rss+xml"
    )
    response = client.post(f"/campaigns/{campaign_id}/coverage/feeds", data={"url": feed_url})
    assert response.status_code == 302
    page = client.get(f"/campaigns/{campaign_id}/coverage/feeds").get_data(as_text=True)
    assert "Statehouse news alerts" in page and "1 new entries, 1 candidates." in page
    with app.app_context():
        feed_id = db.session.scalar(select(CoverageFeed.id))
    polled = client.post(f"/coverage/feeds/{feed_id}/poll", follow_redirects=True)
    assert "Poll queued" in polled.get_data(as_text=True)
    assert "0 new entries" in polled.get_data(as_text=True)  # seen entries are not read again
    assert news_site.hits["/a/quoted"] == 1
    client.post(f"/coverage/feeds/{feed_id}/delete")
    with app.app_context():
        assert db.session.scalar(select(CoverageFeed.id)) is None
        assert db.session.scalar(select(CoverageItem.url)) == quoted  # its items stay


def test_feed_entry_whose_page_failed_is_read_at_the_next_poll(
    app: Flask, news_site: news.NewsSite, letter: dict[str, Any]
) -> None:
    from campaign.campaigns.models import Campaign
    from campaign.coverage import feeds

    late = news_site.base + "/a/late"
    feed_url = news_site.put(
        "/feed.xml", news.feed_xml([("Late", late, "l1")]), content_type="application/rss+xml"
    )
    with app.app_context():
        feed = feeds.add_feed(db.session.get(Campaign, letter["campaign_id"]), feed_url, "", None)
        db.session.refresh(feed)
        assert "1 pages could not be read" in feed.last_result
        news_site.put("/a/late", news.exact_article())
        result = feeds.poll_feed(feed.id)
        assert result is not None and (result.new_entries, result.candidates) == (1, 1)
        assert db.session.scalar(select(CoverageItem.url)) == late
