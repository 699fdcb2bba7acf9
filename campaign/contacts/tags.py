"""Tags stored as one delimited text column, so a tag filter is a LIKE on either database.

A contact's tags are kept as ",climate,national," (sorted, lower case, each wrapped in
commas). Looking for ",climate," then matches whole tags only, works the same on SQLite and
PostgreSQL, and a 100,000-row import writes one column instead of a join table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

_SEPARATORS = re.compile(r"[,;|]")
_NOT_ALLOWED = re.compile(r"[^\w -]+")
_SPACES = re.compile(r"\s+")
MAX_TAG_LENGTH = 40


@lru_cache(maxsize=4096)
def normalize_tag(text: str) -> str:
    """One tag as stored: case-folded letters of any script, digits, "-" and "_" (spaces: "-")."""
    cleaned = _NOT_ALLOWED.sub("", text.strip().casefold())
    return _SPACES.sub("-", cleaned.strip())[:MAX_TAG_LENGTH]


def parse_tags(text: str | Iterable[str] | None) -> list[str]:
    """Sorted, de-duplicated tags from "Climate; national, TV" or from a list of strings."""
    if not text:
        return []
    pieces = _SEPARATORS.split(text) if isinstance(text, str) else list(text)
    return sorted({tag for tag in map(normalize_tag, pieces) if tag})


def encode_tags(tags: Iterable[str]) -> str:
    """The stored form of already-normalized tags (empty string for none)."""
    ordered = sorted(set(tags))
    return f",{','.join(ordered)}," if ordered else ""


def decode_tags(stored: str | None) -> list[str]:
    """Tags back from the stored form."""
    return [tag for tag in (stored or "").split(",") if tag]


def has_tags(
    column: InstrumentedAttribute[str], tags: Iterable[str], match_all: bool = True
) -> ColumnElement[bool]:
    """A WHERE clause: `column` holds all (or any) of `tags`."""
    clauses = [column.contains(f",{tag},", autoescape=True) for tag in tags]
    return and_(*clauses) if match_all else or_(*clauses)
