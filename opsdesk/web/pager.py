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


def page_of(rows: Any, number: str | None, *, size: int = 50) -> Page:
    try:
        page = max(1, int(number or 1))
    except ValueError:
        page = 1
    start = (page - 1) * size
    found = list(rows[start : start + size + 1])
    return Page(rows=found[:size], number=page, has_next=len(found) > size)
