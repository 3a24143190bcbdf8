"""Clearing many flags at once from a queue: each order goes through the same service as its own button on the
order page (an acknowledgement or a TCM check per order, each with its own history entry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from opsdesk.core.roles import permission_require
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Order
from opsdesk.rules.services import ACK_PERMISSION, TCM_PERMISSION, order_ack, tcm_check

# The most orders one click clears (a queue page shows fifty).
BATCH_MAX = 500


@dataclass(frozen=True)
class Clearing:
    """How a rule's flag is cleared in place: the service, the permission it needs and what the button says."""

    service: Callable[..., Any]
    permission: str
    label: str


CLEARINGS: dict[str, Clearing] = {
    "buyer_note": Clearing(order_ack, ACK_PERMISSION, "已阅读留言/备注"),
    "tcm_spec": Clearing(tcm_check, TCM_PERMISSION, "中药规格已核对"),
}


@dataclass
class Cleared:
    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _clearing_for(*, rule: str, user: Any) -> Clearing:
    clearing = CLEARINGS.get(rule)
    if clearing is None:
        raise Refused(f"规则 {rule} 的订单不能在队列中直接处理, 请打开订单")
    permission_require(user, clearing.permission, doing=f"执行「{clearing.label}」")
    return clearing


def flags_clear(*, rule: str, order_ids: list[int], user: Any) -> Cleared:
    """Clear `rule`'s flag on each order (each in its own transaction, like the single action); an order the
    service refuses is reported and the others go on. Refused as a whole for a rule without an action in place,
    a user without the permission, nothing selected or too much at once."""
    clearing = _clearing_for(rule=rule, user=user)
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise Refused("没有选择订单")
    if len(ids) > BATCH_MAX:
        raise Refused(f"一次最多处理 {BATCH_MAX} 单, 选择了 {len(ids)} 单")
    cleared = Cleared()
    for order in Order.objects.filter(pk__in=ids).select_related("channel").order_by("pk"):
        try:
            clearing.service(order=order, user=user)
        except Refused as exc:
            cleared.refused.append(f"{order.order_no}: {exc}")
        else:
            cleared.done.append(order.order_no)
    return cleared
