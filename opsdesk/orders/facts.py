"""What a queue row shows of its order without opening it: the lines with their Rx/中药 marks, the WMS allocation,
courier and tracking, the buyer message and seller note. Read for a page of orders at once (two queries, never
one per row) and kept as plain values, so that the desk's shared cache can keep them with the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from opsdesk.orders.models import Allocation, Order, OrderLine, courier_text

# Lists as long as SQLite's parameter limit allows in one IN (...).
ID_CHUNK = 900
ORDER_FIELDS = ("pk", "allocation", "allocation_raw", "warehouse", "courier", "courier_raw", "tracking_no",
                "buyer_message", "seller_note", "total_amount")
LINE_FIELDS = ("order_id", "sku", "name", "spec", "qty", "rx", "tcm")


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
    found = OrderLine.objects.filter(order_id__in=ids).order_by("order_id", "line_no").values_list(*LINE_FIELDS)
    for order_id, *values in found:
        lines[order_id].append(LineFact(*values))
    return lines


def order_facts(*, order_ids: list[int]) -> dict[int, OrderFacts]:
    """order id → its facts, for the ids given (unknown ids are left out)."""
    facts: dict[int, OrderFacts] = {}
    for start in range(0, len(order_ids), ID_CHUNK):
        ids = order_ids[start:start + ID_CHUNK]
        lines = _lines_by_order(ids)
        for pk, allocation, raw, warehouse, courier, courier_raw, tracking, message, note, total in (
            Order.objects.filter(pk__in=ids).values_list(*ORDER_FIELDS)
        ):
            facts[pk] = OrderFacts(
                allocation=allocation, allocation_label=_allocation_label(allocation, raw), warehouse=warehouse,
                courier=courier_text(courier, courier_raw), tracking_no=tracking, buyer_message=message,
                seller_note=note, total_amount=total, lines=lines.get(pk, []),
            )
    return facts
