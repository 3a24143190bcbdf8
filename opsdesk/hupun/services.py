"""The pull: from each endpoint's cursor to now in `modify_time` windows, each window fetched whole (no
transaction open while waiting on the network) and then written in one short transaction by the file import's own
writer; the cursor moves only past a window that was stored. Every window leaves an ImportRecord, failures too; a
record with a bad value is left out of its window (named in the record's warnings), not the window's refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from opsdesk.core.roles import system_user
from opsdesk.hupun.client import RETURNS, TRADES, HupunClient
from opsdesk.hupun.models import Endpoint, PullCursor
from opsdesk.hupun.reader import RETURN_CELLS, TRADE_CELLS, Cell, records_table
from opsdesk.imports.readers import Table
from opsdesk.imports.services import ImportResult, import_table
from opsdesk.lib.dates import day_start, iso, local, now
from opsdesk.lib.errors import Refused

OVERLAP = timedelta(minutes=5)  # records modified just before the cursor are fetched again: nothing slips between
WINDOW = timedelta(hours=1)  # the most one window (one fetch, one transaction) spans


@dataclass(frozen=True)
class Feed:
    """One endpoint of the API and the import source whose records it becomes."""

    endpoint: str
    cursor: str
    source: str
    key: str  # the field of the record's own number: repeated records of one window keep the last
    label: str
    cells: dict[str, Cell]
    # Fields without which a record can join nothing (a trade with no channel order number: a manual ERP order);
    # such records are left out rather than rejecting the window, which would hold the cursor for ever.
    needs: tuple[str, ...] = ()


FEEDS = (
    Feed(TRADES, Endpoint.TRADES, "erp", "erp_order_no", "万里牛 OPEN API", TRADE_CELLS, needs=("online_order_no",)),
    Feed(RETURNS, Endpoint.RETURNS, "erp_aftersales", "aftersale_no", "万里牛 OPEN API 售后", RETURN_CELLS),
)


@dataclass
class PullResult:
    since: datetime
    until: datetime
    status: str = "pulled"
    pages: int = 0
    trades: int = 0
    returns: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # The records left out of the windows written (a bad value), each named with its window's import record.
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "pulled"

    def as_json(self) -> dict[str, Any]:
        return {"source": "erp", "status": self.status, "since": iso(self.since), "until": iso(self.until),
                "pages": self.pages, "trades": self.trades, "returns": self.returns, "created": self.created,
                "updated": self.updated, "errors": self.errors, "warnings": self.warnings}


def erp_pull(
    *, since: datetime | None = None, until: datetime | None = None, client: HupunClient | None = None,
    user: Any = None, via: str = "",
) -> PullResult:
    """Trades, then returns (they link to the ERP orders by 系统单号), from the cursors (or `since`) to `until`.
    A pull is the system account's (cron, the worker) unless a person's `user` is given."""
    user = user or system_user()
    client = client or HupunClient.from_settings()
    end = min(local(until), now()) if until else now()
    if since and local(since) >= end:
        raise Refused(f"--since ({iso(since)}) 应早于 --until ({iso(end)})")
    starts = {feed.cursor: _start(feed, since) for feed in FEEDS}
    result = PullResult(since=min(starts.values()), until=end)
    for feed in FEEDS:
        if result.ok:
            _feed_pull(feed, result, client=client, start=starts[feed.cursor], user=user, via=via)
    return result


def _start(feed: Feed, since: datetime | None) -> datetime:
    if since:
        return local(since)
    cursor = PullCursor.objects.filter(endpoint=feed.cursor).first()
    return local(cursor.at) - OVERLAP if cursor else day_start(now().date())


def _feed_pull(feed: Feed, result: PullResult, *, client: HupunClient, start: datetime, user: Any, via: str) -> None:
    for low, high in windows(start, result.until):
        stored = _window_pull(feed, result, client=client, low=low, high=high, user=user, via=via)
        result.created, result.updated = result.created + stored.created, result.updated + stored.updated
        result.warnings += [{"file": stored.file, **warning} for warning in stored.warnings]
        if not stored.ok:
            result.status, result.errors = "failed", stored.errors
            return
        _count(feed, result, stored.rows)
        cursor_move(endpoint=feed.cursor, low=low, high=high)


def windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    bounds = []
    while start < end:
        bounds.append((start, min(start + WINDOW, end)))
        start = bounds[-1][1]
    return bounds


def _window_pull(
    feed: Feed, result: PullResult, *, client: HupunClient, low: datetime, high: datetime, user: Any, via: str
) -> ImportResult:
    def read() -> Table:
        pages = []
        for page in client.pages(feed.endpoint, start=low, end=high):
            result.pages += 1
            pages.append(page)
        return records_table(pages, source=feed.source, cells=feed.cells, key=feed.key, needs=feed.needs)

    return import_table(read=read, name=window_name(feed.label, low, high), source=feed.source, user=user, via=via)


def _count(feed: Feed, result: PullResult, count: int) -> None:
    if feed.source == "erp":
        result.trades += count
    else:
        result.returns += count


def window_name(label: str, low: datetime, high: datetime) -> str:
    low, high = local(low), local(high)
    end = f"{high:%H:%M}" if high.date() == low.date() else f"{high:%Y-%m-%d %H:%M}"
    return f"{label} {low:%Y-%m-%d %H:%M}–{end}"


def cursor_move(*, endpoint: str, low: datetime, high: datetime) -> None:
    """Forward to `high` when the stored window joins on to what was stored before (a backfill further back, or one
    that leaves a gap, does not move it)."""
    with transaction.atomic():
        cursor = PullCursor.objects.select_for_update().filter(endpoint=endpoint).first()
        if cursor is None:
            PullCursor.objects.create(endpoint=endpoint, at=high)
        elif low <= cursor.at < high:
            cursor.at = high
            cursor.save(update_fields=["at", "updated_at"])


def pulled_to() -> dict[str, datetime]:
    """Source → the moment its pull has stored every record up to (its endpoint's cursor), for the pulled sources."""
    cursors = dict(PullCursor.objects.values_list("endpoint", "at"))
    return {feed.source: cursors[feed.cursor] for feed in FEEDS if feed.cursor in cursors}
