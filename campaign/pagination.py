"""One way to show a long list a page at a time: a count, then one OFFSET/LIMIT query.

Every staff list that can grow (signatories, contacts, recipients, audit events...) pages
through `paginate`, and every page shows the same pager (`pager` in templates/_macros.html),
so the links, their labels and `aria-current` are written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from campaign.extensions import db

T = TypeVar("T")
PER_PAGE = 50
WINDOW = 2  # page links shown either side of the current one


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and what the pager needs to link to the others."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return min(self.page - 1, self.pages)

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first(self) -> int:
        """The 1-based position of the page's first item (0 when the page is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def numbers(self) -> list[int | None]:
        """Page numbers to link: the first, the last and a window around this one;
        None marks a gap, so a 300-page list shows 1 … 48 49 [50] 51 52 … 300."""
        shown = {1, self.pages, *range(self.page - WINDOW, self.page + WINDOW + 1)}
        found: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if found and found[-1] is not None and number - found[-1] > 1:
                found.append(None)
            found.append(number)
        return found


def paginate(query: Select[T], page: int, per_page: int = PER_PAGE) -> Page[T]:
    """Page `page` (1-based) of `query`, which must be ordered for the pages to be stable.

    A page past the end is empty rather than an error: a list that shrank between two
    clicks shows its pager, not a failure.
    """
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows.unique().scalars()), page, per_page, total or 0)
