"""Tasks of coverage tracking: reading an article page, polling feeds."""

from __future__ import annotations

from celery import shared_task

from campaign.coverage import feeds, services


@shared_task(name=services.FETCH_TASK)
def fetch_item(item_id: int) -> bool:
    """Read and match one article added by URL; safe twice (only a `fetching` item is read)."""
    return services.fetch_item(item_id)


@shared_task(name=feeds.POLL_TASK)
def poll_feed(feed_id: int) -> str:
    """Poll one feed with a conditional GET; entries already seen are skipped, so safe twice."""
    result = feeds.poll_feed(feed_id)
    return result.text() if result else ""


@shared_task(name="coverage.poll_due")
def poll_due() -> int:
    """Periodic: queue a poll of every feed not polled for COVERAGE_FEED_POLL_MINUTES, and
    the reading of articles whose task was lost."""
    return feeds.poll_due() + services.requeue_stale_fetches()
