"""Writes on orders made by people (imports write through opsdesk.imports): revealing a receiver's phone is
logged on the order (who, when — never the number)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from opsdesk.core.roles import permission_require
from opsdesk.lib.dates import now
from opsdesk.orders.models import Order, OrderEvent

PHONE_REVEALED = "phone_revealed"
PHONE_REVEALED_TEXT = "查看了收货人手机号"
REVEAL_PERMISSION = "orders.reveal_phone"


def order_lock(*, order: Order) -> None:
    """Hold the order's row until the transaction ends: writes that read the order's records before they add one
    (its reviews, its open cases) take turns. PostgreSQL's READ COMMITTED would let two of them miss each other;
    SQLite's write transactions take turns already, and the statement is a plain read there."""
    Order.objects.select_for_update().filter(pk=order.pk).values_list("pk", flat=True).first()


def order_phone_reveal(*, order: Order, user: Any) -> str:
    """The receiver's full phone number; the look is recorded as an OrderEvent (PIPL)."""
    permission_require(user, REVEAL_PERMISSION, doing="查看收货人完整手机号")
    OrderEvent.objects.create(order=order, at=now(), user=user, kind=PHONE_REVEALED, text=PHONE_REVEALED_TEXT)
    return order.receiver_phone


def orders_phone_reveal(*, orders: list[Order], user: Any, reason: str) -> dict[int, str]:
    """order id → the receiver's full phone for a whole list at once (a contact list of the checklist): one
    action, still logged as one OrderEvent per order, saying why."""
    permission_require(user, REVEAL_PERMISSION, doing="查看收货人完整手机号")
    orders_phone_revealed(order_ids=[order.pk for order in orders], user=user, reason=reason)
    return {order.pk: order.receiver_phone for order in orders}


def orders_phone_revealed(*, order_ids: list[int], user: Any, reason: str) -> None:
    """Log that `user` was given these orders' full phones, one OrderEvent per order, saying why: for a caller
    that checked its own permission (the COD sheet, which the courier needs with the numbers in full)."""
    at, text = now(), f"{PHONE_REVEALED_TEXT} ({reason})"
    with transaction.atomic():
        OrderEvent.objects.bulk_create(
            OrderEvent(order_id=order_id, at=at, user=user, kind=PHONE_REVEALED, text=text) for order_id in order_ids
        )
