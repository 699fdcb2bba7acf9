"""The public newsroom: listing, search, pagination, item metadata, feeds, sitemap, kit."""

from __future__ import annotations

from datetime import timedelta

import feedparser
from sqlalchemy import insert

from campaign.auth.roles import Role
from campaign.campaigns.services import create_campaign
from campaign.extensions import db
from campaign.statements.models import Kind, Statement, StatementVersion, Status
from tests.support.embargo import BEFORE, SECRET_WORDS, act


def bulk_publish(app, count: int, start=BEFORE, prefix="Item") -> None:
    """`count` published statements, one an hour before `start`, in two statements per row."""
    with app.app_context():
        campaign = create_campaign("Bulk", "", None)
        for i in range(count):
            statement = Statement(
                campaign_id=campaign.id,
                kind=Kind.STATEMENT,
                slug=f"{prefix.lower()}-{i}",
                status=Status.PUBLISHED,
                head_number=1,
                published_at=start - timedelta(hours=count - i),
            )
            db.session.add(statement)
            db.session.flush()
            version_id = db.session.execute(
                insert(StatementVersion).returning(StatementVersion.id),
                [
                    {
                        "statement_id": statement.id,
                        "number": 1,
                        "title": f"{prefix} number {i}",
                        "body": f"Body of {prefix.lower()} {i}.",
                    }
                ],
            ).scalar_one()
            statement.published_version_id = version_id
        db.session.commit()


def test_newsroom_lists_newest_first_with_pages_and_search(app, client, moment):
    bulk_publish(app, 25)
    first = client.get("/newsroom").text
    assert first.index("Item number 24") < first.index("Item number 23")
    assert "Item number 4" not in first and "Page 1 of 2" in first
    second = client.get("/newsroom?page=2").text
    assert "Item number 4" in second and "Item number 24" not in second
    assert client.get("/newsroom?page=9").status_code == 404
    found = client.get("/newsroom?q=NUMBER+17").text
    assert "1 result for" in found and "Item number 17" in found and "Item number 7<" not in found
    assert "Nothing matches" in client.get("/newsroom?q=%25").text


def test_embargoed_and_draft_items_stay_out_of_listings_feeds_and_sitemap(
    app, embargoed, client, make_statement
):
    bulk_publish(app, 2)
    act(embargoed.approver, embargoed.statement_id, "publish", 1, embargo="at_lift")
    make_statement(title="A draft nobody approved")
    for path in ("/newsroom", "/newsroom/feed.rss", "/newsroom/feed.atom", "/sitemap.xml"):
        body = client.get(path).text
        assert "Coalition reaches settlement" not in body and embargoed.slug not in body, path
        assert "nobody approved" not in body, path
        assert SECRET_WORDS not in body


def test_feeds_parse_back_newest_first(app, client, moment):
    bulk_publish(app, 3)
    for path, version in (("/newsroom/feed.rss", "rss20"), ("/newsroom/feed.atom", "atom10")):
        response = client.get(path)
        parsed = feedparser.parse(response.data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == version
        titles = [entry.title for entry in parsed.entries]
        assert titles == ["Item number 2", "Item number 1", "Item number 0"]
        assert parsed.entries[0].link == "http://localhost/s/item-2"


def test_item_page_has_open_graph_canonical_pdf_and_share_links(app, client, moment):
    bulk_publish(app, 1)
    page = client.get("/s/item-0").text
    assert '<meta property="og:title" content="Item number 0">' in page
    assert '<meta property="og:url" content="http://localhost/s/item-0">' in page
    assert '<link rel="canonical" href="http://localhost/s/item-0">' in page
    assert '<meta property="og:image" content="http://localhost/s/item-0/og.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'href="/s/item-0/pdf"' in page
    for share in (
        "mailto:?subject=",
        "bsky.app/intent/compose",
        "mastodonshare.com",
        "linkedin.com/sharing",
        "x.com/intent/tweet",
    ):
        assert share in page
    assert "<script>" not in page and " style=" not in page
    image = client.get("/s/item-0/og.png")
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_sitemap_robots_theme_and_press_kit(app, client, client_as, moment):
    bulk_publish(app, 2)
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://localhost/s/item-1</loc>" in sitemap
    robots = client.get("/robots.txt").text
    for private in ("/review/", "/preview/", "/signon/confirm/", "/unsubscribe/"):
        assert f"Disallow: {private}" in robots
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    admin = client_as(Role.ADMIN)
    admin.post(
        "/admin/settings",
        data={
            "name": "River Justice Coalition",
            "postal_address": "1 River Road",
            "boilerplate": "We defend rivers.",
            "accent_colour": "#aa3300",
            "sender_name": "Press",
            "sender_address": "press@river.example",
            "public_base_url": "http://localhost",
        },
    )
    theme = client.get("/newsroom/theme.css")
    assert theme.mimetype == "text/css" and "--accent:#aa3300" in theme.text
    assert "max-age" in theme.headers["Cache-Control"]
    kit = client.get("/newsroom/press-kit").text
    assert "River Justice Coalition" in kit and "We defend rivers." in kit
    assert "/s/item-1/pdf" in kit
    newsroom = client.get("/newsroom").text
    assert "River Justice Coalition newsroom" in newsroom and "/newsroom/theme.css" in newsroom
    text = client.get("/newsroom/boilerplate.txt")
    assert "We defend rivers." in text.text


def test_featured_items_and_open_letters(app, client, client_as, open_statement, moment):
    bulk_publish(app, 2)
    _, slug = open_statement()
    publisher = client_as(Role.APPROVER)
    with app.app_context():
        featured_id = db.session.query(Statement.id).filter_by(slug="item-0").scalar()
    publisher.post(f"/statements/{featured_id}/newsroom/feature", data={"on": "1"})
    page = client.get("/newsroom").text
    featured = page.split('id="featured-title"')[1].split("</section>")[0]
    assert "Item number 0" in featured
    letters = page.split('id="letters-title"')[1].split("</section>")[0]
    assert f"/s/{slug}" in letters and "0 signatories" in letters


def test_cached_listings_follow_every_audited_change(app, embargoed, client, moment):
    from campaign.embargo.services import publish_due
    from campaign.newsroom import cache

    app.config["NEWSROOM_CACHE_SECONDS"] = 60
    with app.app_context():
        cache.clear()
    try:
        bulk_publish(app, 1)
        act(embargoed.approver, embargoed.statement_id, "publish", 1, embargo="at_lift")
        assert "Coalition reaches settlement" not in client.get("/newsroom").text
        with app.app_context():  # a change that leaves no audit event waits for the TTL
            db.session.query(StatementVersion).filter_by(title="Item number 0").update(
                {"title": "Renamed quietly"}
            )
            db.session.commit()
        assert "Item number 0" in client.get("/newsroom").text
        moment.at(moment.now + timedelta(days=7))  # the lift, and past the cache's minute
        with app.app_context():
            assert publish_due() == 1  # the sweep's publication is audited: seen at once
        page = client.get("/newsroom").text
        assert "Coalition reaches settlement" in page and "Renamed quietly" in page
    finally:
        with app.app_context():
            cache.clear()
