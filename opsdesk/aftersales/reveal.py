"""A case's messages with the receiver's full phone and address, for someone about to copy them to a courier
group: the look is logged on the order like any phone reveal (PIPL)."""

from __future__ import annotations

from typing import Any

from opsdesk.aftersales.selectors import case_as_json, case_get
from opsdesk.orders.services import orders_phone_reveal


def case_contact_reveal(*, case_id: int, user: Any) -> dict[str, Any]:
    """`case_as_json` unmasked; an OrderEvent says who looked, when and for which case (never the values)."""
    case = case_get(case_id=case_id)
    orders_phone_reveal(orders=[case.order], user=user, reason=f"售后 #{case.pk} 的消息, 含收货地址")
    return case_as_json(case, reveal=True)
