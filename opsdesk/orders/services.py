"""Writes on orders made by people (imports write through opsdesk.imports): revealing a receiver's phone is
logged on the order (who, when — never the number)."""

from __future__ import annotations

from typing import Any

from opsdesk.lib.dates import now
from opsdesk.orders.models import Order, OrderEvent

PHONE_REVEALED = "phone_revealed"


def order_phone_reveal(*, order: Order, user: Any) -> str:
    """The receiver's full phone number; the look is recorded as an OrderEvent (PIPL)."""
    OrderEvent.objects.create(order=order, at=now(), user=user, kind=PHONE_REVEALED, text="查看了收货人手机号")
    return order.receiver_phone
