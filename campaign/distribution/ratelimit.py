"""Messages-per-minute limits shared by every worker process, kept in the database.

Each limit is a bucket holding the next free send slot. A worker reserves slots for a batch
with one conditional UPDATE (slots are spaced 60/rate seconds apart and never start in the
past, so idle time earns no burst) and sleeps until each slot before sending. Because the
reservation is a single statement, workers on any number of machines never share a slot.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.distribution.models import RateBucket
from campaign.extensions import db

MICROS = 1_000_000


def _ensure_bucket(key: str) -> None:
    if db.session.get(RateBucket, key) is not None:
        return
    db.session.add(RateBucket(key=key, next_slot_us=0))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker created it first


def reserve(key: str, per_minute: int, count: int) -> list[datetime]:
    """Reserve `count` consecutive send slots in bucket `key`; returns their times (UTC)."""
    interval = 60 * MICROS // per_minute
    now_us = int(clock.now().timestamp() * MICROS)
    _ensure_bucket(key)
    start = case((RateBucket.next_slot_us > now_us, RateBucket.next_slot_us), else_=now_us)
    end = db.session.execute(
        update(RateBucket)
        .where(RateBucket.key == key)
        .values(next_slot_us=start + count * interval)
        .returning(RateBucket.next_slot_us)
    ).scalar_one()
    db.session.commit()
    first = end - count * interval
    return [datetime.fromtimestamp((first + i * interval) / MICROS, UTC) for i in range(count)]


def slots_for(limits: dict[str, int], count: int) -> list[datetime]:
    """Slots that respect every limit in `limits` (key -> per minute; 0 means no limit)."""
    slots = [clock.now()] * count
    for key, per_minute in limits.items():
        if per_minute > 0:
            reserved = reserve(key, per_minute, count)
            slots = [max(mine, theirs) for mine, theirs in zip(slots, reserved, strict=True)]
    return slots
