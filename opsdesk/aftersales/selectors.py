"""Reading cases and stock-out tasks, and their `--json` shapes (interface.md, "After-sales cases")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from opsdesk.aftersales import machine
from opsdesk.aftersales.events import ACTION_LABELS
from opsdesk.aftersales.messages import (
    CLAIM_TYPES,
    case_messages,
    claim_email,
    context_build,
    handler_phone,
    reissue_lines,
)
from opsdesk.aftersales.models import Case, CaseEvent, CaseState, CaseType, SendRecord, StockoutTask
from opsdesk.lib.dates import iso
from opsdesk.lib.errors import Refused, Unknown
from opsdesk.lib.money import yuan
from opsdesk.orders.models import Order, courier_text
from opsdesk.orders.returns import order_return_ref


def case_get(*, case_id: int | str, lock: bool = False) -> Case:
    """The case with its order and channel; `lock` (inside a transaction) locks the case's row only, not the
    order and channel rows joined for display."""
    cases = Case.objects.select_for_update(of=("self",)) if lock else Case.objects.all()
    try:
        return cases.select_related("order__channel", "created_by").get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Unknown(f"没有售后单 #{case_id}") from exc


def case_list(*, type: str | None = None, state: str | None = None, order: Order | None = None) -> QuerySet[Case]:
    if type and type not in CaseType.values:
        raise Refused(f"未知售后类型 {type!r}: 可选 {', '.join(CaseType.values)}")
    if state and state not in CaseState.values:
        raise Refused(f"未知状态 {state!r}: 可选 {', '.join(CaseState.values)}")
    cases = Case.objects.select_related("order__channel", "created_by")
    if type:
        cases = cases.filter(type=type)
    if state:
        cases = cases.filter(state=state)
    if order is not None:
        cases = cases.filter(order=order)
    return cases.order_by("-created_at", "-id")


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _event_json(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at), "user": _username(event.user), "action": event.action,
        "action_label": gettext(ACTION_LABELS.get(event.action, event.action)),
        "from": event.from_state or None, "to": event.to_state or None, "note": event.note,
    }


def case_summary_json(case: Case) -> dict[str, Any]:
    """One row of `case list`: no personal data (the receiver's phone and address stay in `case show`)."""
    order = case.order
    return {
        "id": case.pk, "type": case.type, "state": case.state, "channel": order.channel.code,
        "order_no": order.order_no, "erp_order_no": order.erp_order_no, "courier": order.courier,
        "courier_text": courier_text(order.courier, order.courier_raw), "tracking_no": order.tracking_no,
        "amount": yuan(case.amount) or None, "qty": case.qty,
        "created_at": iso(case.created_at), "created_by": _username(case.created_by),
        "deadline": iso(case.deadline),
    }


def case_as_json(case: Case, *, reveal: bool = True) -> dict[str, Any]:
    """`case show --json`: the case, its history, its rendered messages and its claim e-mail (or null); without
    `reveal` the receiver's phone and address in them are masked (the desk's case page)."""
    context = context_build(case, reveal=reveal)
    email = claim_email(case, context)
    sends = SendRecord.objects.filter(case=case).select_related("user")
    return {
        **case_summary_json(case),
        "state_label": case.get_state_display(), "type_label": case.get_type_display(),
        "next_states": list(machine.next_states(case.type, case.state)),
        "note": case.note,
        "invoice": _invoice_json(case),
        "reissue_lines": reissue_lines(case.order) if case.type == CaseType.REISSUE else None,
        "source": _link_json(case.source) if case.source else None,
        "follow_ups": [_link_json(c) for c in case.follow_ups.order_by("id")],
        "erp_return_ref": order_return_ref(case.order) if case.type == CaseType.RETURN_REFUND else None,
        "screenshots": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in case.files.all()],
        "history": [_event_json(e) for e in case.events.select_related("user")],
        "messages": [m.as_json() for m in case_messages(case, context)],
        "email": email.as_json() if email else None,
        "sent": [_send_json(s) for s in sends if s.state == SendRecord.State.SENT],
        "sends": [{**_send_json(s), "id": s.pk, "state": s.state, "state_label": s.get_state_display(),
                   "error": s.error} for s in sends],
        "warnings": send_warnings(case),
    }


def _link_json(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "type": case.type, "state": case.state}


def _send_json(send: SendRecord) -> dict[str, Any]:
    return {"channel": send.channel, "to": send.detail, "at": iso(send.at), "user": _username(send.user)}


def send_warnings(case: Case) -> list[str]:
    """What the person sending should look at first: a claim without its transaction screenshot, a send
    whose outcome nobody has checked yet."""
    warnings = []
    if case.type in CLAIM_TYPES and not case.files.exists():
        warnings.append("没有交易截图: 报备和理赔邮件将不含截图 (请先上传交易截图)")
    if case.type == CaseType.REISSUE:
        warnings += [f"商品 {line['sku'] or line['name']} 没有补发商品编码: 请填写后再备注万里牛"
                     for line in reissue_lines(case.order) if not line["reissue_sku"]]
    if case.type == CaseType.RETURN_REFUND and not handler_phone(case):
        warnings.append("处理人没有设置手机号码: 退货提示的地址缺少处理人手机号 (管理后台「用户资料」)")
    for send in case.sends.filter(state__in=[SendRecord.State.UNKNOWN, SendRecord.State.SENDING]):
        warnings.append(f"{send.get_channel_display()} → {send.detail}: {send.get_state_display()}")
    return warnings


def _invoice_json(case: Case) -> dict[str, str] | None:
    if case.type != CaseType.INVOICE:
        return None
    erp_no = case.order.erp_order_no or case.order.order_no
    return {"erp_order_no": erp_no, "title": case.invoice_title, "tax_id": case.tax_id, "email": case.invoice_email}


def stockout_task_json(task: StockoutTask) -> dict[str, Any]:
    listing = task.listing
    return {
        "id": task.pk, "sku": task.sku, "action": task.action, "action_label": task.get_action_display(),
        "channel": listing.channel.code, "channel_name": listing.channel.name, "listing_id": listing.pk,
        "title": listing.title, "channel_item_id": listing.channel_item_id, "listing_active": listing.active,
        "url": listing.page_url,
        "created_at": iso(task.created_at), "done_by": _username(task.done_by), "done_at": iso(task.done_at),
        "superseded": task.superseded_at is not None, "note": task.note,
    }


def stockout_board(*, include_done: bool = False) -> list[dict[str, Any]]:
    """The stock-out tasks still to do (oldest first), like checklist items waiting for a signature."""
    tasks = StockoutTask.objects.select_related("listing__channel", "done_by")
    if not include_done:
        tasks = tasks.filter(done_at=None, superseded_at=None)
    return [stockout_task_json(task) for task in tasks.order_by("created_at", "id")]
