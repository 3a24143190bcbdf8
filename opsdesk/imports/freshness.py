"""Facts never move backwards: an import that would take an order back along its status line, or an export older
than the one the stored order came from, leaves that order as it is (and the result says so)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import STATUS_PROGRESSION, OrderStatus

_RANK = {str(status): rank for rank, status in enumerate(STATUS_PROGRESSION)}
# 2026-11-23 10:30[:00], 2026/11/23, 2026年11月23日 10:30 … and the compact 20261123[_]103000 of file names.
_SPELLED = re.compile(r"(?<!\d)(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?)?")
_COMPACT = re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?:[ T_-]?(\d\d)(\d\d)(\d\d)?)?(?!\d)")


def moves_back(stored: str, incoming: str) -> bool:
    """Would setting `incoming` take an order that is `stored` backwards? Cancelled may come from any state and,
    once there, an import does not take it out again; a status off the line (unknown) is no step back."""
    if incoming in (stored, OrderStatus.CANCELLED):
        return False
    if stored == OrderStatus.CANCELLED:
        return True
    if stored not in _RANK or incoming not in _RANK:
        return False
    return _RANK[incoming] < _RANK[stored]


def export_time(texts: Iterable[str]) -> datetime | None:
    """The export time a file states (the first of its title cells, then its name, that holds a date and a time).
    A date alone is no export time: 万里牛订单_20261205.csv names the day, and taken as its midnight it would be older
    than anything stored since, a pull of that morning included."""
    for text in texts:
        for pattern in (_SPELLED, _COMPACT):
            for found in pattern.finditer(text):
                moment = _moment(found.groups()) if found.group(4) else None
                if moment is not None:
                    return moment
    return None


def _moment(groups: tuple[str | None, ...]) -> datetime | None:
    try:
        return datetime(*(int(part) if part else 0 for part in groups), tzinfo=SHANGHAI)  # type: ignore[arg-type,misc]
    except ValueError:
        return None
