"""How the public newsroom page performs with 1,000 published items.

Fills a scratch database with 1,000 published statements (plus embargoed and draft ones that
must stay hidden), then times the newsroom's first page, a search, the RSS feed and the
sitemap, each as a ratio to a trivial Flask route timed in the same run. The issue's target:
the newsroom page within 5x the trivial route.

    .venv/bin/python bench/newsroom.py [--database-url URL] [--items 1000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from scratch import scratch_app  # bench/scratch.py
from sqlalchemy import insert, select
from versions import median_seconds  # bench/versions.py: the benches' shared timer

from campaign.campaigns.services import create_campaign
from campaign.extensions import db
from campaign.statements.models import Kind, ReleaseType, Statement, StatementVersion, Status

TARGET_RATIO = 5.0


def build_app(database_url: str, cache_seconds: int) -> Flask:
    app = scratch_app(database_url, NEWSROOM_CACHE_SECONDS=cache_seconds)
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    return app


def fill(app: Flask, items: int) -> None:
    """`items` public statements, and 50 embargoed plus 50 drafts that must not show."""
    now = datetime.now(UTC)
    with app.app_context():
        campaign = create_campaign("Bench", "", None)
        rows = [
            {
                "campaign_id": campaign.id,
                "kind": Kind.PRESS_RELEASE if i % 3 else Kind.STATEMENT,
                "slug": f"item-{i}",
                "status": Status.PUBLISHED if i < items + 50 else Status.DRAFT,
                "head_number": 1,
                "published_at": now - timedelta(hours=i),
                "created_at": now,
                "updated_at": now,
            }
            for i in range(items + 100)
        ]
        ids = db.session.scalars(insert(Statement).returning(Statement.id), rows).all()
        versions = [
            {
                "statement_id": sid,
                "number": 1,
                "title": f"Release number {i} on river water quality",
                "subtitle": "A coalition speaks",
                "body": "Words of the release. " * 80,
                "release_type": ReleaseType.EMBARGOED if i >= items else ReleaseType.IMMEDIATE,
                "embargo_until": now + timedelta(days=3) if i >= items else None,
                "created_at": now,
            }
            for i, sid in enumerate(ids)
        ]
        db.session.execute(insert(StatementVersion), versions)
        for statement in db.session.scalars(select(Statement)):
            if statement.status is Status.PUBLISHED:
                statement.published_version_id = db.session.scalar(
                    select(StatementVersion.id).filter_by(statement_id=statement.id)
                )
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--cache-seconds", type=int, default=60, help="NEWSROOM_CACHE_SECONDS (0: no cache)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        app = build_app(url, args.cache_seconds)
        fill(app, args.items)
        client = app.test_client()
        paths = {
            "trivial route": "/bench/trivial",
            "newsroom page": "/newsroom",
            "newsroom page 10": f"/newsroom?page={min(10, -(-args.items // 20))}",
            "newsroom search": "/newsroom?q=number+99",
            "RSS feed": "/newsroom/feed.rss",
            "sitemap.xml": "/sitemap.xml",
        }
        for path in paths.values():
            response = client.get(path)
            assert response.status_code == 200, path
        assert "Release number 1000 " not in client.get("/newsroom?q=1000").text
        timings = {
            name: median_seconds(lambda p=path: client.get(p), args.repeat)
            for name, path in paths.items()
        }
    trivial = timings.pop("trivial route")
    cache = f"cache {args.cache_seconds} s" if args.cache_seconds else "no cache"
    print(f"backend: {url.split(':', 1)[0]}; {args.items:,} published items; {cache}")
    print(f"trivial Flask route:      {trivial * 1000:8.2f} ms  (baseline)")
    for label, seconds in timings.items():
        print(f"{label + ':':<25} {seconds * 1000:8.2f} ms  ({seconds / trivial:,.1f}x trivial)")
    ratio = timings["newsroom page"] / trivial
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"newsroom page: {ratio:.1f}x trivial, {verdict} the {TARGET_RATIO:.0f}x target")


if __name__ == "__main__":
    main()
