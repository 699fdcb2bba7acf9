"""When a distribution may send: its send time and its optional weekly sending window.

Pure functions of a moment, so tests move an injected clock instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Window:
    """Sending allowed on `days` (0 = Monday) from `start` to `end`, local time in `zone`.

    An `end` at or before `start` means the window runs past midnight (22:00-06:00).
    """

    days: frozenset[int]
    start: time
    end: time
    zone: str

    def next_opening(self, moment: datetime) -> datetime:
        """`moment` itself if the window is open then, else the next time it opens (UTC)."""
        zone = ZoneInfo(self.zone)
        today = moment.astimezone(zone).date()
        for offset in range(-1, 8):
            day = today + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            opens = datetime.combine(day, self.start, tzinfo=zone)
            closes = datetime.combine(day, self.end, tzinfo=zone)
            if closes <= opens:
                closes += timedelta(days=1)
            if moment < closes:
                return max(moment, opens).astimezone(ZoneInfo("UTC"))
        raise ValueError("a sending window needs at least one weekday")

    def describe(self) -> str:
        """For pages: "Mon-Fri 08:00-18:00 Europe/Berlin"."""
        days = sorted(self.days)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            named = f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
        else:
            named = ", ".join(WEEKDAYS[day] for day in days)
        return f"{named} {self.start:%H:%M}-{self.end:%H:%M} {self.zone}"


def parse_days(text: str) -> frozenset[int]:
    """Stored form "01234" (digits are weekdays, 0 = Monday) to a set."""
    return frozenset(int(char) for char in text if char.isdigit() and int(char) < 7)


def format_days(days: frozenset[int] | set[int] | list[int]) -> str:
    return "".join(str(day) for day in sorted(set(days)))


def earliest_send(now: datetime, send_at: datetime | None, window: Window | None) -> datetime:
    """The first moment at or after `now` when sending may happen."""
    moment = max(now, send_at) if send_at else now
    return window.next_opening(moment) if window else moment
