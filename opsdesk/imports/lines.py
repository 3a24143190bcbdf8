"""An order import never loses the lines it replaces. Of the changed orders, only those whose lines really differ
have them rewritten; their old lines are first copied into OrderLineHistory by one `INSERT … SELECT` (the database
moves them, set-based), and each such order's history gets a `lines_changed` event saying what was and what is.
An order whose row changed but not its lines (a status, a tracking number) keeps its lines as they are."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from opsdesk.imports.records import OrderBatch
from opsdesk.imports.store import columns_of, execute_in, fetch_rows, insert
from opsdesk.orders.models import OrderEvent, OrderLine, OrderLineHistory

# What a line says, in the order compared (the line number first: lines are compared in their order).
COMPARED = ("line_no", "sku", "name", "spec", "qty", "price", "amount", "rx", "tcm")
CENT = Decimal("0.01")
EVENT = "lines_changed"

Line = tuple[Any, ...]


@lru_cache(maxsize=4096, typed=True)  # a day's lines repeat a few hundred prices: each converted once
def _money(value: Any) -> Decimal | None:
    """A price as fetched (SQLite: a float or int; PostgreSQL: a Decimal) or as imported, comparable."""
    return None if value is None else Decimal(str(value)).quantize(CENT)


def _line(values: Any) -> Line:
    line_no, sku, name, spec, qty, price, amount, rx, tcm = values
    return int(line_no), sku, name, spec, int(qty), _money(price), _money(amount), bool(rx), bool(tcm)


def lines_differing(
    cursor: Any, batch: OrderBatch, changed: dict[int, int], flags: tuple[list[bool], list[bool]]
) -> dict[int, tuple[list[Line], list[Line]]]:
    """order id → (stored lines, imported lines) for the changed orders (batch index → order id) whose lines the
    import changes."""
    stored: dict[int, list[Line]] = defaultdict(list)
    for row in fetch_rows(cursor, table=OrderLine._meta.db_table, key="order_id", keys=list(changed.values()),
                          columns=COMPARED):
        stored[row[0]].append(_line(row[1:]))
    lines = batch.lines
    differing = {}
    for n, order_id in changed.items():
        imported = [_line((number, *(lines[c][r] for c in COMPARED[1:7]), flags[0][r], flags[1][r]))
                    for number, r in enumerate(batch.groups[n], start=1)]
        before = sorted(stored.get(order_id, []))
        if before != imported:
            differing[order_id] = (before, imported)
    return differing


def lines_keep(cursor: Any, differing: dict[int, tuple[list[Line], list[Line]]], *, at: Any) -> None:
    """Copy these orders' current lines into the history (stamped `at`) and record the change on each order,
    before the caller deletes and rewrites them."""
    if not differing:
        return
    kept = [c for c in columns_of(OrderLineHistory) if c != "replaced_at"]
    names = ", ".join(kept)
    execute_in(cursor, sql=f"INSERT INTO {OrderLineHistory._meta.db_table} ({names}, replaced_at) "
                           f"SELECT {names}, %s FROM {OrderLine._meta.db_table} WHERE order_id IN_KEYS",
               keys=list(differing), params=[at])
    events = [(order_id, at, None, EVENT, change_text(*lines)) for order_id, lines in differing.items()]
    insert(cursor, table=OrderEvent._meta.db_table, columns=["order_id", "at", "user_id", "kind", "text"],
           rows=events)


def change_text(before: list[Line], after: list[Line]) -> str:
    def shown(lines: list[Line]) -> str:
        return "、".join(f"{sku or name}×{qty}" for _, sku, name, _, qty, *_ in lines) or "无"

    was, now = shown(before), shown(after)
    if was == now:
        return f"导入更新了订单明细 ({now}) 的名称、规格或价格 (原明细见明细历史)"
    return f"导入更新了订单明细: 原 {was}; 现 {now} (原明细见明细历史)"
