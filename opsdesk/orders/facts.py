"""What a queue row shows of its order without opening it: the lines with their Rx/中药 marks, the WMS allocation,
courier and tracking, the buyer message and seller note. Read for a page of orders at once (two queries, never
one per row) and kept as plain values, so that the desk's shared cache can keep them with the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opsdesk.lib.queries import columns_of
from opsdesk.orders.models import Allocation, Order, OrderLine, courier_text

# Lists as long as SQLite's parameter limit allows in one IN (...).
ID_CHUNK = 900
# Read besides the facts' own columns: the export's words, which the labels prefer (see courier_text).
RAW_FIELDS = ("allocation_raw", "courier_raw")


@dataclass(frozen=True)
class LineFact:
    sku: str
    name: str
    spec: str
    qty: int
    rx: bool
    tcm: bool

    @property
    def text(self) -> str:
        marks = "".join(mark for flag, mark in ((self.rx, " [处方]"), (self.tcm, " [中药]")) if flag)
        return " ".join(part for part in (self.sku, self.name, self.spec, f"×{self.qty}") if part) + marks


@dataclass(frozen=True)
class OrderFacts:
    allocation: str
    allocation_label: str
    warehouse: str
    courier: str
    tracking_no: str
    buyer_message: str
    seller_note: str
    total_amount: Decimal | None
    lines: list[LineFact] = field(default_factory=list)

    @property
    def qty(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def goods(self) -> str:
        return "; ".join(line.text for line in self.lines)


def _allocation_label(allocation: str, raw: str) -> str:
    """The WMS's own word (分配完成, 缺货…), else ours; '' when the order has no allocation state at all."""
    if raw or allocation not in Allocation.values:
        return raw
    return str(Allocation(allocation).label)


def _lines_by_order(ids: list[int]) -> dict[int, list[LineFact]]:
    lines: dict[int, list[LineFact]] = defaultdict(list)
    found = OrderLine.objects.filter(order_id__in=ids).order_by("order_id", "line_no")
    for order_id, *values in found.values_list("order_id", *columns_of(OrderLine, LineFact)):
        lines[order_id].append(LineFact(*values))
    return lines


def _facts(row: dict[str, Any], own: list[str], lines: list[LineFact]) -> OrderFacts:
    values = {name: row[name] for name in own}
    values.update(allocation_label=_allocation_label(row["allocation"], row["allocation_raw"]), lines=lines,
                  courier=courier_text(row["courier"], row["courier_raw"]))
    return OrderFacts(**values)


def order_facts(*, order_ids: list[int]) -> dict[int, OrderFacts]:
    """order id → its facts, for the ids given (unknown ids are left out)."""
    facts: dict[int, OrderFacts] = {}
    own = columns_of(Order, OrderFacts)
    for start in range(0, len(order_ids), ID_CHUNK):
        ids = order_ids[start:start + ID_CHUNK]
        lines = _lines_by_order(ids)
        for row in Order.objects.filter(pk__in=ids).values("pk", *own, *RAW_FIELDS):
            facts[row["pk"]] = _facts(row, own, lines.get(row["pk"], []))
    return facts
