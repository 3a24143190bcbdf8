"""What the rules app's commands share: resolving ORDER_NO and --user."""

from __future__ import annotations

from typing import Any

from opsdesk.core.services import user_by_name
from opsdesk.orders.models import Order
from opsdesk.orders.selectors import order_find


def add_order_arguments(parser: Any) -> None:
    parser.add_argument("order_no", metavar="ORDER_NO", help="平台订单号或万里牛单号 (XD…)")
    parser.add_argument("--user", required=True, help="操作人用户名")
    parser.add_argument("--channel", help="平台代码, 订单号在多个平台重复时必填")


def order_and_user(options: dict[str, Any]) -> tuple[Order, Any]:
    user = user_by_name(username=options["user"])
    return order_find(order_no=options["order_no"], channel=options.get("channel")), user


def done(order: Order, **extra: Any) -> dict[str, Any]:
    return {"ok": True, "channel": order.channel.code, "order_no": order.order_no, **extra}
