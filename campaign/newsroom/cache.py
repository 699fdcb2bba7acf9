"""A short-lived cache of the newsroom's listing pages, feeds and sitemap.

Public listings are read far more often than they change, and the issue asks the newsroom
with 1,000 items to render within 5x a trivial route; a hit costs one primary-key lookup.
Each entry is keyed on the URL and stamped with the newest audit event's id: every change
of what is public (publication, a lift by the sweep in another process, retraction, early
lift, featuring, a settings edit) writes an audit event in its own transaction, so it is seen
on the next request. Sign-on counts may be up to NEWSROOM_CACHE_SECONDS old.

An entry holds what was public when it was made, and time only ever makes more public (an
embargo lifts, it never returns), so serving one can never show an embargoed item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Response, current_app, request
from sqlalchemy import text

from campaign import clock
from campaign.extensions import db

MAX_ENTRIES = 256


@dataclass(frozen=True)
class _Entry:
    generation: Any
    expires: datetime
    body: bytes
    mimetype: str | None
    cache_control: str


_NEWEST_EVENT = text("SELECT max(id) FROM audit_events")


def generation() -> Any:
    """Changes whenever anything a listing shows may have changed (the audit log's head)."""
    return db.session.execute(_NEWEST_EVENT).scalar()


def cached(build: Callable[[], Response]) -> Response:
    """`build()`'s response for this URL, reused while the public state is unchanged."""
    ttl = current_app.config["NEWSROOM_CACHE_SECONDS"]
    if ttl <= 0:
        return build()
    store: dict[str, _Entry] = current_app.extensions.setdefault("newsroom_cache", {})
    key, stamp, now = request.full_path, generation(), clock.now()
    hit = store.get(key)
    if hit is not None and hit.generation == stamp and now < hit.expires:
        response = Response(hit.body, mimetype=hit.mimetype)
        response.headers["Cache-Control"] = hit.cache_control
        return response
    response = build()
    if response.status_code == 200:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = _Entry(
            stamp,
            now + timedelta(seconds=ttl),
            response.get_data(),
            response.mimetype,
            response.headers.get("Cache-Control", ""),
        )
    return response


def clear() -> None:
    """Forget every entry (tests; a deployment never needs to)."""
    current_app.extensions.pop("newsroom_cache", None)
