"""Column types shared by every feature's models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite forgets the offset that PostgreSQL keeps; normalising both ways means comparisons
    with `clock.now()` behave the same on either database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _values(kind: type[enum.Enum]) -> list[str]:
    return [member.value for member in kind]


def enum_column(kind: type[enum.Enum], length: int = 20) -> Enum:
    """The one way an enum is stored: its values ("in_review", not the member name) in a
    VARCHAR with a CHECK constraint naming them.

    Not a native PostgreSQL enum, so SQLite and PostgreSQL hold the same thing and a new
    value needs no ALTER TYPE; the CHECK keeps a typo in raw SQL or a migration out.
    """
    return Enum(
        kind,
        native_enum=False,
        length=length,
        values_callable=_values,
        create_constraint=True,
    )


def not_negative(*columns: str) -> tuple[CheckConstraint, ...]:
    """CHECK constraints keeping counters at zero or more: code compares them with limits
    (attempts, reminder steps), and a negative count would silently pass every limit."""
    return tuple(CheckConstraint(f"{name} >= 0", name=f"{name}_not_negative") for name in columns)
