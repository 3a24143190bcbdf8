"""The checklist's customer contact steps (官网 10:00): 加药师微信 and 引导在线支付. Each is a list of the
orders concerned, with the text ready to send to each buyer; the pharmacist's WeChat ID (or phone) is configuration
(OPSDESK_PHARMACIST_WECHAT / _PHONE) and shown in the text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from opsdesk.lib.errors import Refused
from opsdesk.lib.masking import mask_phone
from opsdesk.orders.facts import LineFact, order_facts
from opsdesk.orders.models import Order
from opsdesk.orders.services import orders_phone_reveal
from opsdesk.rules.selectors import rule_queryset

CHANNEL = "official"
# A contact list is for a morning's calls, not a mailing: more than this is a sign the filter is wrong.
LIST_MAX = 500
MISSING = "【药师微信未配置: OPSDESK_PHARMACIST_WECHAT】"


def _rx_orders(at: datetime) -> QuerySet[Order]:
    """Official-site orders with a prescription drug still waiting for an approved prescription (paid or not, the
    rule rx_wechat): the pharmacist needs the buyer's prescription, so the buyer is asked to add them on WeChat."""
    return rule_queryset(code="rx_wechat", at=at).filter(channel__code=CHANNEL)


def _cod_orders(at: datetime) -> QuerySet[Order]:
    """Official-site cash-on-delivery orders not yet pushed to the warehouse (the rule cod_to_push): still time to
    pay online."""
    return rule_queryset(code="cod_to_push", at=at).filter(channel__code=CHANNEL)


def pharmacist_contact() -> str:
    wechat, phone = settings.PHARMACIST_WECHAT, settings.PHARMACIST_PHONE
    if wechat and phone:
        return f"药师微信 {wechat} (电话 {phone})"
    if wechat or phone:
        return f"药师微信 {wechat}" if wechat else f"药师电话 {phone}"
    return MISSING


def _rx_text(order: Order, goods: str) -> str:
    return (f"您好, 这里是{settings.SHOP_NAME}官网。您的订单 {order.order_no} 含处方药 ({goods}), 按规定须药师审核处方后"
            f"才能发货。请添加{pharmacist_contact()}, 发送处方照片, 药师审核通过后我们马上为您发货。谢谢!")


def _cod_text(order: Order, goods: str) -> str:
    return (f"您好, 这里是{settings.SHOP_NAME}官网。您的订单 {order.order_no} ({goods}) 选择了货到付款。改用在线支付 (微信"
            f"或支付宝) 可优先发货, 收货时也无需准备现金。如需改为在线支付, 请回复本消息, 我们为您发送付款方式。谢谢!")


@dataclass(frozen=True)
class ContactList:
    code: str  # the checklist item's code
    title: str
    orders: Callable[[datetime], QuerySet[Order]]
    text: Callable[[Order, str], str]
    # The lines the text names: the 加药师微信 text names the prescription drugs only (the buyer is asked for their
    # prescription, not told that a 健胃消食片 needs one).
    names: Callable[[LineFact], bool] = lambda line: True


CONTACT_LISTS: dict[str, ContactList] = {
    item.code: item for item in (
        ContactList("official-pharmacist-wechat", "加药师微信", _rx_orders, _rx_text, names=lambda line: line.rx),
        ContactList("official-cod-online", "引导在线支付", _cod_orders, _cod_text),
    )
}


def contact_list_get(code: str) -> ContactList:
    try:
        return CONTACT_LISTS[code]
    except KeyError:
        raise Refused(f"检查事项 {code} 没有联系名单: 可选 {', '.join(CONTACT_LISTS)}") from None


def contact_warnings(*, code: str) -> list[str]:
    """What is missing for the list's texts to be sendable as they are."""
    if code == "official-pharmacist-wechat" and pharmacist_contact() == MISSING:
        return ["还没有配置药师微信或电话 (OPSDESK_PHARMACIST_WECHAT / OPSDESK_PHARMACIST_PHONE): 文本里缺少联系方式。"]
    return []


def _orders(contacts: ContactList, at: datetime) -> list[Order]:
    found = contacts.orders(at).select_related("channel").order_by("paid_at", "placed_at", "pk")
    return list(found[:LIST_MAX])


def _rows(contacts: ContactList, orders: list[Order], phones: dict[int, str]) -> list[dict[str, Any]]:
    facts = order_facts(order_ids=[order.pk for order in orders])
    rows = []
    for order in orders:
        lines = facts[order.pk].lines if order.pk in facts else []
        goods = "、".join(line.name for line in lines if line.name and contacts.names(line))
        phone = phones.get(order.pk) or mask_phone(order.receiver_phone)
        rows.append({"order": order, "goods": goods, "phone": phone, "text": contacts.text(order, goods)})
    return rows


def contact_rows(*, code: str, at: datetime) -> list[dict[str, Any]]:
    """The list: each order with its receiver, masked phone, goods and ready text."""
    contacts = contact_list_get(code)
    return _rows(contacts, _orders(contacts, at), {})


def contact_phones_reveal(*, code: str, at: datetime, user: Any) -> list[dict[str, Any]]:
    """The list with every receiver's full phone, revealed in one action that logs an OrderEvent per order."""
    contacts = contact_list_get(code)
    orders = _orders(contacts, at)
    if not orders:
        raise Refused(f"「{contacts.title}」名单是空的, 没有手机号可显示")
    return _rows(contacts, orders, orders_phone_reveal(orders=orders, user=user, reason=contacts.title))
