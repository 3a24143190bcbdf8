"""After-sales services: open a case, move it on, send what it sends; stock-out tasks. Services write;
`selectors.py` reads. Every refusal raises Refused before anything is written."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from opsdesk.aftersales import machine
from opsdesk.aftersales.events import event_record
from opsdesk.aftersales.forms import CaseOpenForm, ReissueSkuForm
from opsdesk.aftersales.messages import CLAIM_TYPES, case_messages, claim_email, context_build
from opsdesk.aftersales.models import (
    Case,
    CaseState,
    CaseType,
    SendRecord,
    StockoutTask,
)
from opsdesk.aftersales.outbox import Part, part_checked, part_send, part_state
from opsdesk.aftersales.permissions import (
    STOCKOUT_MARK_PERMISSION,
    STOCKOUT_SIGN_PERMISSION,
    case_permission_require,
    reissue_permission_require,
)
from opsdesk.aftersales.routing import claim_recipients_strict
from opsdesk.aftersales.screenshots import (
    KINDS,
    screenshot_store,
    screenshots_allowed,
    screenshots_clean,
    screenshots_distinct,
)
from opsdesk.aftersales.selectors import case_get, send_warnings
from opsdesk.aftersales.senders import dingtalk_post, smtp_send
from opsdesk.aftersales.validators import email_clean, tax_id_clean
from opsdesk.core.roles import permission_require, system_user
from opsdesk.lib.dates import local, now
from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import note_clean, validated
from opsdesk.orders.models import Listing, Order, OrderStatus, Product, Unit
from opsdesk.orders.returns import order_return_ref, returned_filter
from opsdesk.orders.selectors import order_find
from opsdesk.orders.services import order_lock

log = logging.getLogger(__name__)


# ---- opening a case ----------------------------------------------------------------------------------------

def _required(case_type: str, fields: dict[str, Any]) -> None:
    label = str(CaseType(case_type).label)
    if case_type in CLAIM_TYPES and fields["amount"] is None:
        raise Refused(f"{label}需要金额 (--amount)")
    if case_type == CaseType.DAMAGED and fields["qty"] is None:
        raise Refused(f"{label}需要数量 (--qty)")
    if case_type == CaseType.COMPLAINT and fields["deadline"] is None:
        raise Refused(f"{label}需要处理期限 (--deadline, 例如 2026-11-23T18:00)")
    if case_type == CaseType.COMPLAINT and not fields["note"]:
        raise Refused(f"{label}需要说明顾客投诉的内容 (--note)")


def _check_order(case_type: str, order: Order, order_no: str) -> None:
    shipped = order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) or bool(order.tracking_no)
    if case_type == CaseType.RETURN_REFUND and not shipped:
        raise Refused(f"订单 {order.order_no} 尚未发货 ({order.get_status_display()}): 未发货的订单在平台直接退款, 无需拦截")
    if case_type in CLAIM_TYPES and not order.tracking_no:
        raise Refused(f"订单 {order.order_no} 没有快递单号, 无法向快递理赔")
    if case_type == CaseType.OMIT_PACKING_LIST and order.channel.code != "official":
        raise Refused(f"不放清单只用于官网订单 (GW…); 订单 {order.order_no} 属于{order.channel.name}")
    if case_type == CaseType.REISSUE:
        _check_reissue(order)
    if case_type == CaseType.INVOICE and not (order.erp_order_no or order_no.upper().startswith("XD")):
        raise Refused(f"发票申请需要万里牛订单号 (XD…): 订单 {order.order_no} 还没有万里牛单号")


def _check_reissue(order: Order) -> None:
    """A reissue needs lines to send again; a missing reissue SKU is a warning on the case, filled in there."""
    if not order.lines.exists():
        raise Refused(f"订单 {order.order_no} 没有商品明细, 无法补发")


def _check_no_open_case(case_type: str, order: Order) -> None:
    final = [state for state in machine.states_of(case_type) if not machine.next_states(case_type, state)]
    open_case = Case.objects.filter(order=order, type=case_type).exclude(state__in=final).first()
    if open_case:
        raise Refused(f"订单 {order.order_no} 已有进行中的{open_case.get_type_display()}售后 #{open_case.pk}")


def _fields_clean(case_type: str, *, amount: Any, qty: Any, title: str, tax_id: str, email: str, deadline: Any,
                  note: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"amount": amount, "qty": qty, "deadline": deadline, "note": (note or "").strip()}
    _required(case_type, fields)
    if case_type == CaseType.INVOICE:
        if not (title or "").strip():
            raise Refused("发票申请需要抬头 (--title)")
        fields.update(invoice_title=title.strip(), tax_id=tax_id_clean(tax_id), invoice_email=email_clean(email))
    return fields


def _unit_default(case_type: str, unit: str, order: Order) -> str:
    """盒 or 件 for a damaged case (the report says 商品破损2盒): as given, else the unit of the order's first
    product that is known, else 盒."""
    if unit or case_type != CaseType.DAMAGED:
        return unit
    skus = order.lines.order_by("line_no").values_list("sku", flat=True)
    units = dict(Product.objects.filter(sku__in=list(skus)).values_list("sku", "unit"))
    return next((units[sku] for sku in skus if sku in units), Unit.BOX)


def case_open(
    *, type: str, order_no: str, user: User, channel: str | None = None,
    amount: Any = None, qty: Any = None, note: str = "", title: str = "", tax_id: str = "", email: str = "",
    screenshots: Any = (), photos: Any = (), unit: str = "", deadline: Any = None,
) -> Case:
    """`screenshots` (交易截图) and `photos` (破损照片) are (name, bytes) pairs, checked as the case page's upload."""
    if type not in CaseType.values:
        raise Refused(f"未知售后类型 {type!r}: 可选 {', '.join(CaseType.values)}")
    case_permission_require(user=user, case_type=type)
    return _case_create(
        type=type, order_no=order_no, channel=channel, user=user, amount=amount, qty=qty, note=note, title=title,
        tax_id=tax_id, email=email, screenshots=screenshots, photos=photos, unit=unit, deadline=deadline,
    )


def _case_create(*, type: str, order_no: str, channel: str | None, user: User | None, screenshots: Any = (),
                 photos: Any = (), source: Case | None = None, **values: Any) -> Case:
    given = validated(CaseOpenForm, type=type, order_no=order_no, channel=channel, **values)
    fields = _fields_clean(type, **{key: given[key] for key in ("amount", "qty", "title", "tax_id", "email",
                                                                 "deadline", "note")})
    shots = screenshots_distinct([*screenshots_clean(files=list(screenshots or ()), kind=KINDS[0]),
                                  *screenshots_clean(files=list(photos or ()), kind=KINDS[1])])
    if shots:
        screenshots_allowed(case_type=type)
    order = order_find(order_no=given["order_no"], channel=given["channel"] or None)
    _check_order(type, order, order_no)
    fields["unit"] = _unit_default(type, given["unit"], order)
    with transaction.atomic():
        order_lock(order=order)
        _check_no_open_case(type, order)
        state = machine.first_state(type)
        case = Case.objects.create(
            type=type, order=order, state=state, created_by=user, created_at=now(), source=source, **fields,
        )
        for shot in shots:
            screenshot_store(case=case, shot=shot)
        event_record(case, action="open", user=user, to_state=state, note=_open_note(case))
    return case


def _open_note(case: Case) -> str:
    """The history's note of the opening: the case's note, and its deadline when it has one."""
    if case.deadline is None:
        return case.note
    return " ".join(filter(None, [case.note, f"(处理期限 {local(case.deadline):%Y-%m-%d %H:%M})"]))


def case_reissue_open(*, case_id: int, user: User) -> Case:
    """安排补发: the reissue case of a lost parcel, linked to it (its source)."""
    lost = case_get(case_id=case_id)
    if lost.type != CaseType.LOST_PARCEL:
        raise Refused(f"只有丢件可以安排补发; 售后单 #{lost.pk} 是{lost.get_type_display()}")
    reissue_permission_require(user=user, lost=lost)
    order = lost.order
    return _case_create(type=CaseType.REISSUE, order_no=order.order_no, channel=order.channel.code, user=user,
                        source=lost, note=f"丢件 #{lost.pk} 安排补发")


def case_reissue_sku_set(*, case_id: int, sku: str, reissue_sku: str, user: User) -> Case:
    """Fill in a missing reissue SKU from the case: it is the product's (Product.reissue_sku), so the next
    reissue of that product has it too."""
    case = case_get(case_id=case_id)
    if case.type != CaseType.REISSUE:
        raise Refused(f"售后单 #{case.pk} 不是补发")
    case_permission_require(user=user, case_type=case.type)
    given = validated(ReissueSkuForm, sku=sku, reissue_sku=reissue_sku)
    line = case.order.lines.filter(sku=given["sku"]).first()
    if line is None:
        raise Refused(f"订单 {case.order.order_no} 没有商品编码 {given['sku']}")
    with transaction.atomic():
        product, _ = Product.objects.get_or_create(sku=line.sku, defaults={"name": line.name, "spec": line.spec})
        product.reissue_sku = given["reissue_sku"]
        product.save(update_fields=["reissue_sku", "updated_at"])
        event_record(case, action="reissue_sku", user=user, from_state=case.state, to_state=case.state,
               note=f"{line.sku} → {product.reissue_sku}")
    return case


# ---- moving a case on --------------------------------------------------------------------------------------

def _move(case: Case, to_state: str, *, user: Any, note: str = "", action: str = "advance") -> None:
    allowed = machine.next_states(case.type, case.state)
    if to_state not in allowed:
        choices = "、".join(f"{s} ({CaseState(s).label})" for s in allowed) or "无 (已结束)"
        raise Refused(
            f"售后单 #{case.pk} 当前为 {case.state} ({case.get_state_display()}), 不能改为 {to_state}; 可选: {choices}"
        )
    from_state, case.state = case.state, to_state
    case.save(update_fields=["state", "updated_at"])
    event_record(case, action=action, user=user, from_state=from_state, to_state=to_state, note=note)


def case_advance(*, case_id: int, to_state: str, user: User, note: str = "") -> Case:
    with transaction.atomic():
        case = case_get(case_id=case_id, lock=True)
        case_permission_require(user=user, case_type=case.type)
        note = note_clean(note)
        _return_proof_require(case, to_state, note)
        _move(case, to_state, user=user, note=note)
    return case


def _visible(text: str) -> bool:
    """Something a reader of the history can see: not only spaces, controls or zero-width characters."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf") for char in text)


def _return_proof_require(case: Case, to_state: str, note: str) -> None:
    """The notes: 万里牛's 售后处理:新建售后单【…】 is what says the goods are back in the warehouse, and the refund
    follows it. Without that mark a person may still say so (the warehouse confirmed it, the ERP lags), in a note
    kept in the case's history; a bare click is refused."""
    if to_state == CaseState.RETURNED and not _visible(note) and order_return_ref(case.order) is None:
        raise Refused(f"售后单 #{case.pk}: 万里牛还没有 售后处理:新建售后单【…】, 退货尚未确认入库。"
                      "如已确认 (例如仓库已收到), 请在备注里写明依据, 再改为 已退回仓库")


def case_sync_returns(*, case_id: int | None = None) -> list[int]:
    """Move return cases on to `returned` when the ERP shows the goods back; returns the ids moved."""
    waiting = Case.objects.filter(
        type=CaseType.RETURN_REFUND, state__in=[CaseState.APPROVED, CaseState.INTERCEPT_REPORTED]
    )
    if case_id is not None:
        waiting = waiting.filter(pk=case_id)
    waiting = waiting.filter(order__in=Order.objects.filter(returned_filter()))
    moved = []
    for case in waiting.select_related("order"):
        ref = order_return_ref(case.order)
        if ref:
            with transaction.atomic():
                locked = case_get(case_id=case.pk, lock=True)
                if CaseState.RETURNED in machine.next_states(locked.type, locked.state):
                    _move(locked, CaseState.RETURNED, user=system_user(), note=f"万里牛: 售后处理:新建售后单【{ref}】", action="erp")
                    moved.append(case.pk)
    return moved


# ---- sending -----------------------------------------------------------------------------------------------

def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _email_part(case: Case, context: dict[str, Any]) -> list[Part]:
    email = claim_email(case, context)
    if email is None or part_state(case, SendRecord.Via.EMAIL, "claim") == SendRecord.State.SENT:
        return []
    email.to = claim_recipients_strict(case.order.courier)
    message = email.as_message()
    detail = ", ".join(email.to)
    digest = _digest(detail, email.subject, email.body, *[a[0] for a in email.attachments])
    return [Part(SendRecord.Via.EMAIL, "claim", detail, digest, partial(smtp_send, message))]


def _post_parts(case: Case, context: dict[str, Any]) -> list[Part]:
    return [
        Part(SendRecord.Via.DINGTALK, f"group:{m.group.pk}", m.group.name, _digest(m.text),
             partial(dingtalk_post, m.group, m.text))
        for m in case_messages(case, context) if m.via == "dingtalk" and m.group is not None
    ]


def _advance_after_send(case: Case, user: User | None) -> None:
    sent = SendRecord.objects.filter(case=case, state=SendRecord.State.SENT)
    posted = sent.filter(channel=SendRecord.Via.DINGTALK).exists()
    mailed = sent.filter(channel=SendRecord.Via.EMAIL).exists()
    steps = [(posted, CaseState.INTERCEPT_REPORTED), (posted, CaseState.REPORTED), (mailed, CaseState.CLAIMED)]
    for done, state in steps:
        if done and state in machine.next_states(case.type, case.state):
            _move(case, state, user=user, note="已发送", action="send")


def _send_parts(case: Case, user: User) -> list[Part]:
    """What the case would send now; refuses (before anything is claimed) what cannot be sent at all."""
    case_permission_require(user=user, case_type=case.type)
    if case.state == CaseState.CANCELLED:
        raise Refused(f"售后单 #{case.pk} 已取消, 不再发送")
    if case.state == CaseState.REQUESTED and case.type == CaseType.RETURN_REFUND:
        raise Refused(f"售后单 #{case.pk} 须先在平台同意退货 (approved) 才能报备拦截")
    claim_open = part_state(case, SendRecord.Via.EMAIL, "claim") != SendRecord.State.SENT
    if case.type in CLAIM_TYPES and claim_open and not settings.SMTP_ENABLED:
        raise Refused("未配置 SMTP (OPSDESK_SMTP_HOST)")
    context = context_build(case)
    return _email_part(case, context) + _post_parts(case, context)


def case_send_check(*, case_id: int, user: User) -> list[str]:
    """The refusals of `case_send` before anything goes out (the desk asks before it queues the send), and
    the warnings worth a second look: the returned list."""
    case = case_get(case_id=case_id)
    _send_parts(case, user)
    return send_warnings(case)


def case_send(*, case_id: int, user: User) -> list[str]:
    """Send what the case sends (claim e-mail, DingTalk posts), skipping what an earlier call sent; returns
    what went out. Each part is claimed, sent with no transaction held and recorded (`outbox.py`); a part
    that fails raises Refused and leaves the state alone. Call it outside any transaction."""
    case = case_get(case_id=case_id)
    sent = [part.label for part in _send_parts(case, user) if part_send(case, part, user=user)]
    with transaction.atomic():
        case = case_get(case_id=case_id, lock=True)
        _advance_after_send(case, user)
    return sent


def case_send_checked(*, case_id: int, send_id: int, delivered: bool, user: User, note: str = "") -> Case:
    """A person has checked a send of unknown outcome: it arrived (the case moves on as if sent) or not (the
    next send tries it again)."""
    case = case_get(case_id=case_id)
    case_permission_require(user=user, case_type=case.type)
    part_checked(case, send_id=send_id, delivered=delivered, user=user, note=note_clean(note))
    with transaction.atomic():
        case = case_get(case_id=case_id, lock=True)
        _advance_after_send(case, user)
    return case


# ---- stock-outs --------------------------------------------------------------------------------------------

def _sku_known(sku: str) -> str:
    sku = (sku or "").strip()
    if not sku or not (Product.objects.filter(sku=sku).exists() or Listing.objects.filter(sku=sku).exists()):
        raise Refused(f"未知商品编码 {sku or '(空)'}")
    return sku


def _tasks_open(sku: str, action: str) -> Any:
    return StockoutTask.objects.filter(sku=sku, action=action, done_at=None, superseded_at=None)


def stockout_mark(*, sku: str, user: User, restore: bool = False) -> list[StockoutTask]:
    """One task per listing to take down (or, with restore, to put back up); open tasks are reused, and
    open tasks of the opposite action are superseded (stock changed again before anyone acted)."""
    permission_require(user, STOCKOUT_MARK_PERMISSION, doing="生成上下架任务")
    sku = _sku_known(sku)
    action, opposite = (
        (StockoutTask.Action.PUT_UP, StockoutTask.Action.TAKE_DOWN) if restore
        else (StockoutTask.Action.TAKE_DOWN, StockoutTask.Action.PUT_UP)
    )
    with transaction.atomic():
        # Two marks of one SKU at once take turns here: the second then finds the first's tasks open, and reuses them.
        list(Listing.objects.select_for_update().filter(sku=sku).order_by("pk").values_list("pk", flat=True))
        at = now()
        _tasks_open(sku, opposite).update(superseded_at=at)
        listings = Listing.objects.filter(sku=sku, active=not restore).select_related("channel").order_by("channel__sort")
        existing = {task.listing_id: task for task in _tasks_open(sku, action)}
        tasks = [
            existing.get(listing.pk)
            or StockoutTask.objects.create(sku=sku, listing=listing, action=action, created_at=at, created_by=user)
            for listing in listings
        ]
    return tasks


def stockout_task_done(*, task_id: int, user: User, note: str = "") -> StockoutTask:
    permission_require(user, STOCKOUT_SIGN_PERMISSION, doing="完成上下架任务")
    note = note_clean(note)
    with transaction.atomic():
        try:
            task = StockoutTask.objects.select_for_update(of=("self", "listing")).select_related("listing__channel").get(pk=task_id)
        except (StockoutTask.DoesNotExist, ValueError, TypeError) as exc:
            raise Refused(f"没有上下架任务 #{task_id}") from exc
        if not task.is_open:
            raise Refused(f"上下架任务 #{task.pk} 已{'完成' if task.done_at else '作废'}, 无需再签")
        task.done_by, task.done_at, task.note = user, now(), (note or "").strip()
        task.save(update_fields=["done_by", "done_at", "note"])
        task.listing.active = task.action == StockoutTask.Action.PUT_UP
        task.listing.save(update_fields=["active", "updated_at"])
    return task


def stock_changed_receiver(sender: Any, *, restocked: Any = (), depleted: Any = (), user: Any = None, **_: Any) -> None:
    """After a stock import: tasks to take down what ran out and to put back what came back."""
    for sku, restore in [*((s, False) for s in depleted or ()), *((s, True) for s in restocked or ())]:
        if not Listing.objects.filter(sku=sku).exists():
            continue
        try:
            stockout_mark(sku=sku, restore=restore, user=user)
        except Refused as exc:  # the import has committed: a task we cannot make must not undo it
            log.warning("stock-out tasks for %s not created: %s", sku, exc)



def erp_aftersales_receiver(sender: Any, **_: Any) -> None:
    """After a 万里牛 售后单 import: return cases whose goods the ERP shows back in the warehouse move on."""
    moved = case_sync_returns()
    if moved:
        log.info("return cases moved to returned after an ERP import: %s", moved)
