"""Reading orders: the list with its filters, one order by number, and the interface's JSON shape."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from opsdesk.lib.dates import iso
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel, Order, OrderLine, Payment

# Order, ERP and tracking numbers, phones and SKUs: what operators paste whole.
IDENTIFIER = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{5,}")
# More exact matches than this (a busy phone number, a best-selling SKU) are paged through the OR itself.
EXACT_LIMIT = 500
SEARCH_MAX = 200


def order_list(
    *, channel: str | None = None, status: str | None = None, payment: str | None = None,
    search: str | None = None,
) -> QuerySet[Order]:
    """Orders newest first; `search` matches order / ERP / tracking numbers, receiver, phone, SKU or product name;
    `payment` is the interface's payment value (platform_paid, cod, …). Lines are left to the caller that shows
    them (`.prefetch_related("lines")`): the desk's list does not."""
    orders = Order.objects.select_related("channel")
    if channel:
        channel_check(channel)
        orders = orders.filter(channel__code=channel)
    if status:
        orders = orders.filter(status=status)
    if payment:
        orders = orders.filter(payment=payment)
    text = (search or "").strip()
    if len(text) > SEARCH_MAX:  # SQLite refuses a LIKE pattern past 50,000 bytes; nothing pasted is this long
        raise Refused(f"搜索内容太长 ({len(text)} 个字, 最多 {SEARCH_MAX} 个)")
    if text:
        orders = orders.filter(_search_filter(text, within=orders))
    return orders


def channel_check(channel: str | None) -> None:
    """A filter by a channel nobody has is a typo: said, not answered with nothing (orders, queues, counts)."""
    if channel and not Channel.objects.filter(code=channel).exists():
        codes = ", ".join(Channel.objects.order_by("sort").values_list("code", flat=True))
        raise Refused(f"未知平台 {channel[:40]!r}: 可选 {codes}")


def payment_choices() -> list[tuple[str, str]]:
    """The payment values one can filter by (the `payment` field's values; blank means "not recorded")."""
    return [(value, str(label)) for value, label in Payment.choices if value]


def _search_filter(text: str, *, within: QuerySet[Order]) -> Q:
    """A pasted identifier matches exactly through the indexes (milliseconds on half a million orders); anything
    else, or an identifier that matches nothing exactly, is a substring of any of them or of a name. Lines are
    matched with IN / EXISTS, not a join, so that there is one row per order and the newest-first page stops early."""
    if IDENTIFIER.fullmatch(text):
        exact = (
            Q(order_no=text) | Q(erp_order_no=text) | Q(tracking_no=text) | Q(receiver_phone=text)
            | Q(pk__in=OrderLine.objects.filter(sku=text).values("order_id"))
        )
        # The matches' ids, fetched once: a page of them by id is cheaper to build than the five-way OR again.
        found = list(within.filter(exact).values_list("pk", flat=True)[: EXACT_LIMIT + 1])
        if found:
            return Q(pk__in=found) if len(found) <= EXACT_LIMIT else exact
    return (
        Q(order_no__icontains=text) | Q(erp_order_no__icontains=text) | Q(tracking_no__icontains=text)
        | Q(receiver_name__icontains=text) | _phone_shown(text)
        | Q(Exists(OrderLine.objects.filter(Q(sku__icontains=text) | Q(name__icontains=text), order=OuterRef("pk"))))
    )


def _phone_shown(text: str) -> Q:
    """A phone matches a part of it only as the pages show it (139****1073): its last four digits. A substring
    anywhere would tell the masked digits one search at a time (d1073, dd1073, …) with no reveal logged; the
    whole number matches exactly, above."""
    return Q(receiver_phone__endswith=text) if PHONE_TAIL.fullmatch(text) else Q(pk__in=[])


PHONE_TAIL = re.compile(r"[0-9]{4}")


def order_as_json(order: Order) -> dict[str, Any]:
    return {
        "channel": order.channel.code,
        "order_no": order.order_no,
        "erp_order_no": order.erp_order_no,
        "status": order.status,
        "status_raw": order.status_raw,
        "payment": order.payment,
        "placed_at": iso(order.placed_at),
        "paid_at": iso(order.paid_at),
        "ship_by": iso(order.ship_by),
        "shipped_at": iso(order.shipped_at),
        "courier": order.courier,
        "tracking_no": order.tracking_no,
        "allocation": order.allocation,
        "buyer_message": order.buyer_message,
        "seller_note": order.seller_note,
        "lines": [
            {
                "sku": line.sku, "name": line.name, "spec": line.spec, "qty": line.qty,
                "price": None if line.price is None else str(line.price), "rx": line.rx, "tcm": line.tcm,
            }
            for line in order.lines.all()
        ],
    }


def order_get(*, channel: str, order_no: str) -> Order:
    try:
        return Order.objects.select_related("channel").get(channel__code=channel, order_no=order_no.strip())
    except Order.DoesNotExist as exc:
        raise Refused(f"找不到订单: {_channel_name(channel)} {order_no}") from exc


def order_find(*, order_no: str, channel: str | None = None) -> Order:
    """One order by its channel order number or its ERP number (XD…); refused when none or several match."""
    number = order_no.strip()
    if not number:
        raise Refused("请提供订单编号")
    orders = Order.objects.select_related("channel").filter(Q(order_no=number) | Q(erp_order_no=number))
    if channel:
        orders = orders.filter(channel__code=channel)
    found = list(orders[:5])
    if not found:
        where = f"{_channel_name(channel)}上" if channel else ""
        raise Refused(f"找不到订单 {number}: {where}没有这个订单编号或万里牛单号")
    if len(found) > 1:
        names = "、".join(sorted({order.channel.name for order in found}))
        raise Refused(f"订单 {number} 不唯一 (出现在: {names}), 请用 --channel 指定平台")
    return found[0]


def _channel_name(code: str | None) -> str:
    if not code:
        return ""
    found = Channel.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code
