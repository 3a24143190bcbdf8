"""An approval covers the Rx lines it approved, as they were then. When an import changes them — an order import
that rewrites an order's lines, a stock import that makes a product Rx — an order whose approval no longer covers
its Rx lines needs a pharmacist again. Its approval is voided (kept, never deleted) and its history says why, so
the order is back in rx_review; an order that has already left the warehouse is not moved, only flagged in its
history for a pharmacist to look into. Both run inside the import's transaction (imports.signals)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from opsdesk.lib.dates import now
from opsdesk.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from opsdesk.rules import prescriptions
from opsdesk.rules.models import RxReview
from opsdesk.rules.prescriptions import RxLines

CHUNK = 900  # ids or SKUs per IN (...): within SQLite's variable limit
LEFT = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)  # orders that are out of the warehouse: flagged, not moved
REOPENED, SHIPPED_UNCOVERED = "rx_reopened", "rx_shipped_uncovered"


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _shown(rows: RxLines) -> str:
    return "、".join(f"{row['sku']}×{row['qty']}" for row in rows) or "无"


def rx_lines_replaced_receiver(sender: Any, *, order_ids: list[int], user: Any = None, **_: Any) -> None:
    """An import rewrote these orders' lines: an approval whose Rx lines (SKUs, quantities) are no longer the
    order's is voided and the order's history says why."""
    for chunk in _chunks(order_ids):
        approvals = RxReview.objects.approved().filter(order_id__in=chunk).select_related("order")
        current = prescriptions.rx_lines_by_order(Order.objects.filter(pk__in=chunk))
        for review in approvals:
            lines = current.get(review.order_id, [])
            if lines != review.lines:
                _approval_void(review, lines=lines, why="导入后处方药明细已变更", user=user)


def rx_products_added_receiver(sender: Any, *, skus: list[str], user: Any = None, **_: Any) -> None:
    """A stock import made these products Rx. Each order (not cancelled) with a line of them and no approval that
    covers its Rx lines as they now are: not yet shipped, it goes (back) to rx_review, its approval voided; shipped,
    its history says it left without one."""
    for chunk in _chunks(skus):
        touched = OrderLine.objects.filter(sku__in=chunk)
        orders = Order.objects.filter(pk__in=touched.values("order_id")).exclude(status=OrderStatus.CANCELLED)
        became: dict[int, set[str]] = defaultdict(set)
        for order_id, sku in touched.values_list("order_id", "sku"):
            became[order_id].add(sku)
        events = _uncovered(orders, became=became, user=user)
        OrderEvent.objects.bulk_create(events)


def _uncovered(orders: QuerySet[Order], *, became: dict[int, set[str]], user: Any) -> list[OrderEvent]:
    """Void the approvals of open orders that do not cover their Rx lines; the events for the others."""
    approvals = {review.order_id: review for review in RxReview.objects.approved().filter(order__in=orders)}
    current = prescriptions.rx_lines_by_order(orders)
    events, moment = [], now()
    for order in orders.only("id", "order_no", "status", "shipped_at"):
        approval, lines = approvals.get(order.pk), current.get(order.pk, [])
        if approval is not None and approval.lines == lines:
            continue
        what = f"商品 {'、'.join(sorted(became[order.pk]))} 已改为处方药 (库存导入)"
        if order.status in LEFT or order.shipped_at is not None:
            text = f"{what}: 订单已发货, 发货前的处方审核未包括现在的处方药 {_shown(lines)}, 请药师核查"
            events.append(OrderEvent(order=order, user=_actor(user), at=moment, kind=SHIPPED_UNCOVERED, text=text))
        elif approval is not None:
            approval.order = order
            _approval_void(approval, lines=lines, why=what, user=user)
        else:
            text = f"{what}: 现在含处方药 {_shown(lines)}, 需药师审核处方后才能发货"
            events.append(OrderEvent(order=order, user=_actor(user), at=moment, kind=REOPENED, text=text))
    return events


def _approval_void(review: RxReview, *, lines: RxLines, why: str, user: Any) -> None:
    reason = f"{why}: 审核时 {_shown(review.lines)}, 现在 {_shown(lines)}, 需药师重新审核"
    limit = RxReview._meta.get_field("void_reason").max_length or 0
    review.voided_at, review.void_reason = now(), reason[:limit]
    review.save(update_fields=["voided_at", "void_reason"])
    OrderEvent.objects.create(order=review.order, user=_actor(user), at=review.voided_at, kind=REOPENED, text=reason)
