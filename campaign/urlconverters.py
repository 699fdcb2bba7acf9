"""URL converters that turn impossible values into a 404 before any query runs."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

# PostgreSQL's INTEGER: an id beyond it would make the database raise (a 500), not miss.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that only matches 0..2**31-1, so a huge id is a plain 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def requested_page(maximum: int = 100_000, name: str = "page") -> int:
    """`?page=` (or `?<name>=`) as a number from 1 to `maximum`; anything else is page 1
    (never a DB error)."""
    from flask import request

    raw = request.args.get(name, "1")
    page = int(raw) if raw.isdigit() and len(raw) < 10 else 1
    return min(max(page, 1), maximum)
