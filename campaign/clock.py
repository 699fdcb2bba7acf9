"""The one place the application asks for the current time.

Scheduling rules (embargoes, deadlines, sending windows) are tested by replacing `now`
through `set_clock`, instead of sleeping in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def _system_now() -> datetime:
    return datetime.now(UTC)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _now()


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Install another time source; `None` restores the system clock."""
    global _now
    _now = source or _system_now
