"""Pages of big lists without COUNT(*): fetch one row more than the page to know whether there is a next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


# Far past any list's end (a million pages of 50) and far below the databases' 64-bit OFFSET.
LAST_PAGE = 1_000_000


def page_number(number: str | None) -> int:
    """?page=: a whole number clamped to 1…LAST_PAGE; anything else is the first page."""
    try:
        return min(LAST_PAGE, max(1, int((number or "1").strip()[:20])))
    except ValueError:
        return 1


def page_of(rows: Any, number: str | None, *, size: int = 50) -> Page:
    page = page_number(number)
    start = (page - 1) * size
    found = list(rows[start : start + size + 1])
    return Page(rows=found[:size], number=page, has_next=len(found) > size)
