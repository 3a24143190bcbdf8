"""The rules. Each is one plain function of the orders at a moment `at`: it returns a `Check` — a
database filter (Q / Exists, evaluated by the database, never a Python loop over orders) plus how to say why in
Chinese (`message`) and since when (`since`) for each order the filter keeps.

Facts (order status, reviews, acknowledgements) are as last imported / recorded; `at` is the clock the
deadlines are compared against, so that any moment can be checked (`opsdesk exceptions --at`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.translation import gettext_noop

from opsdesk.aftersales import machine
from opsdesk.aftersales.models import Case, CaseState, CaseType
from opsdesk.lib.dates import at_time, local
from opsdesk.orders.models import (
    OPEN_STATUSES,
    AfterSales,
    Allocation,
    Channel,
    ChannelAftersale,
    Courier,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    Product,
    WmsRecord,
    courier_text,
)
from opsdesk.orders.returns import order_returned_filter, return_annotations, return_ref, returned_filter
from opsdesk.rules.codes import CODES
from opsdesk.rules.models import Acknowledgement, RuleConfig, RxReview, TcmCheck

# Statuses after which nothing about shipping can be done any more.
DONE_STATUSES = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED)
NOTE_PREVIEW = 40


@dataclass(frozen=True)
class RuleContext:
    at: datetime
    config: RuleConfig
    channels: Mapping[int, Channel]


@dataclass(frozen=True)
class Check:
    """What a rule returns: the filter, and per flagged order the Chinese reason and the moment it began."""

    filter: Q
    message: Callable[[Order], str]
    since: Callable[[Order], datetime | None]
    annotations: Mapping[str, Any] = field(default_factory=dict)
    order_by: tuple[str, ...] = ("paid_at",)
    # The same test written for one order at a time, where `filter` is written for whole queues (the order page).
    one_order: Q | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Chinese, as the interface gives it; marked for the desk's translations (gettext_noop)
    severity: str
    build: Callable[[RuleContext], Check]
    # The fact sources (interface.md's names) the rule reads besides the channels' own orders: the desk marks its
    # count stale when one of them is.
    reads: tuple[str, ...] = ()
    # The channels whose orders it can flag (None: every channel): a stale export of another channel does not
    # make its count stale.
    channels: Callable[[Channel], bool] | None = None


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, title: str, severity: str, *, reads: tuple[str, ...] = (), channels: Callable[[Channel], bool] | None = None
) -> Callable[[Callable[[RuleContext], Check]], Callable]:
    def register(build: Callable[[RuleContext], Check]) -> Callable[[RuleContext], Check]:
        REGISTRY[code] = Rule(code=code, title=title, severity=severity, build=build, reads=reads, channels=channels)
        return build

    return register


def _no_channel(channel: Channel) -> bool:
    """For rules that read no channel's order export (a case's deadline, an after-sales export of its own)."""
    return False


# ---- wording helpers -------------------------------------------------------------------------------------

def hm(moment: datetime | None) -> str:
    return local(moment).strftime("%m-%d %H:%M") if moment else "—"


def span(delta: timedelta) -> str:
    """A duration as people say it: 45 分钟, 2 小时, 2 小时 30 分钟, 3 天 4 小时."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {mins} 分钟" if mins else f"{hours} 小时"
    return f"{mins} 分钟"


def preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_PREVIEW else text[:NOTE_PREVIEW] + "…"


def paid_or_placed(order: Order) -> datetime | None:
    return order.paid_at or order.placed_at


def note_hash(buyer_message: str, seller_note: str) -> str:
    """The acknowledged text's fingerprint; the database computes the same with `note_hash_sql()`."""
    return hashlib.sha256(f"{buyer_message}\n{seller_note}".encode()).hexdigest()


class Sha256Hex(Func):
    """Hex SHA-256 of a text: Django registers SHA256() on SQLite; PostgreSQL has sha256(bytea) built in
    (Django's own SHA256 needs the pgcrypto extension there)."""

    function = "SHA256"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra)


def note_hash_outer() -> Sha256Hex:
    """`note_hash()` computed by the database on the outer query's order."""
    text = Concat(OuterRef("buyer_message"), Value("\n"), OuterRef("seller_note"), output_field=TextField())
    return Sha256Hex(text)


def extra(order: Order, name: str) -> Any:
    """A value a rule annotated onto the order."""
    return getattr(order, name, None)


def since_now(ctx: RuleContext, moment: datetime | None) -> str:
    return span(ctx.at - moment) if moment else "—"


def until(ctx: RuleContext, moment: datetime | None) -> str:
    return span(moment - ctx.at) if moment else "—"


def cutoff_deadline(paid_at: datetime, channel: Channel) -> datetime | None:
    """药房网-style cut-off: paid before cutoff_time ships by cutoff_ship_time the next day, else the day after."""
    if channel.cutoff_time is None or channel.cutoff_ship_time is None:
        return None
    paid = local(paid_at)
    days = 1 if paid.time() < channel.cutoff_time else 2
    return at_time(paid.date() + timedelta(days=days), channel.cutoff_ship_time)


def cutoff_threshold(at: datetime, channel: Channel) -> datetime:
    """Orders of `channel` paid before this moment are past their cut-off deadline at `at` (inverse of above)."""
    assert channel.cutoff_time is not None and channel.cutoff_ship_time is not None
    moment = local(at)
    last_due_day: date = moment.date()
    if moment.time() < channel.cutoff_ship_time:
        last_due_day -= timedelta(days=1)
    return at_time(last_due_day - timedelta(days=1), channel.cutoff_time)


def cutoff_day(at: datetime, channel: Channel, days_back: int) -> datetime:
    """The cut-off (药房网 17:00) `days_back` days before `at`'s day."""
    assert channel.cutoff_time is not None
    return at_time(local(at).date() - timedelta(days=days_back), channel.cutoff_time)


def _has_cutoff(channel: Channel) -> bool:
    return bool(channel.cutoff_time and channel.cutoff_ship_time)


def _cutoff_channels(ctx: RuleContext) -> list[Channel]:
    return [c for c in ctx.channels.values() if _has_cutoff(c)]


def _cutoff_message(ctx: RuleContext) -> Callable[[Order], str]:
    """"药房网 11-19 16:20 付款, 应于 11-20 16:00 前发出, 还剩 6 小时 40 分钟" (or "已过 …" once late)."""

    def message(o: Order) -> str:
        channel = ctx.channels[o.channel_id]
        due = cutoff_deadline(o.paid_at, channel) if o.paid_at else None
        left = f"已过 {since_now(ctx, due)}" if due and due <= ctx.at else f"还剩 {until(ctx, due)}"
        return f"{channel.name} {hm(o.paid_at)} 付款, 应于 {hm(due)} 前发出, {left}, 尚未发货"

    return message


def _cutoff_since(ctx: RuleContext) -> Callable[[Order], datetime | None]:
    """The cut-off that closed the order's batch (the 17:00 at or after its payment): the flag holds from then. Its
    deadline, still ahead for the day's batch, is in the message; as the 起始 of a queue row it read as the future."""

    def closed(o: Order) -> datetime | None:
        channel = ctx.channels[o.channel_id]
        due = cutoff_deadline(o.paid_at, channel) if o.paid_at else None
        return cutoff_day(due, channel, 1) if due else None  # the rule's channels all have a cut-off

    return closed


OPEN = Q(status__in=OPEN_STATUSES)
NOT_DONE = ~Q(status__in=DONE_STATUSES)


# ---- shipping deadlines ----------------------------------------------------------------------------------

@rule("ship_overdue", gettext_noop("超时未发货"), "high")
def ship_overdue(ctx: RuleContext) -> Check:
    """Past ship_by (reaching it counts: a parcel due "by 16:00" that has not left at 16:00 is late)."""
    return Check(
        filter=OPEN & Q(ship_by__lte=ctx.at),
        message=lambda o: f"承诺发货时间 {hm(o.ship_by)} 已过 {since_now(ctx, o.ship_by)} 仍未发货",
        since=lambda o: o.ship_by,
        order_by=("ship_by",),
    )


@rule("ship_due_soon", gettext_noop("即将超时"), "medium")
def ship_due_soon(ctx: RuleContext) -> Check:
    window = timedelta(hours=ctx.config.warning_hours)
    return Check(
        filter=OPEN & Q(ship_by__gt=ctx.at, ship_by__lte=ctx.at + window),
        message=lambda o: f"承诺发货时间 {hm(o.ship_by)}, 还剩 {until(ctx, o.ship_by)}, 尚未发货",
        since=lambda o: o.ship_by - window if o.ship_by else None,
        order_by=("ship_by",),
    )


@rule("cutoff_missed", gettext_noop("截单未发"), "high", channels=_has_cutoff)
def cutoff_missed(ctx: RuleContext) -> Check:
    missed = Q(pk__in=[])
    for channel in _cutoff_channels(ctx):
        missed |= Q(channel_id=channel.pk, paid_at__lt=cutoff_threshold(ctx.at, channel))

    def deadline(o: Order) -> datetime | None:
        return cutoff_deadline(o.paid_at, ctx.channels[o.channel_id]) if o.paid_at else None

    def message(o: Order) -> str:
        due = deadline(o)
        name = ctx.channels[o.channel_id].name
        return f"{name} {hm(o.paid_at)} 付款, 应于 {hm(due)} 前发出, 已过 {since_now(ctx, due)} 仍未发货"

    return Check(filter=OPEN & missed, message=message, since=deadline)


@rule("cutoff_unshipped", gettext_noop("截单前订单未发"), "high", channels=_has_cutoff)
def cutoff_unshipped(ctx: RuleContext) -> Check:
    """The notes' "前一天17:00之前的订单是否已经发出": every order paid before yesterday's cut-off that is still
    unshipped — today's batch (due by 16:00 today) and the ones already late — so that all of it leaves today."""
    before = Q(pk__in=[])
    for channel in _cutoff_channels(ctx):
        before |= Q(channel_id=channel.pk, paid_at__lt=cutoff_day(ctx.at, channel, 1))
    return Check(filter=OPEN & before, message=_cutoff_message(ctx), since=_cutoff_since(ctx))


@rule("cutoff_due_today", gettext_noop("今日截止发货"), "medium", channels=_has_cutoff)
def cutoff_due_today(ctx: RuleContext) -> Check:
    """"留意当天订单下午16点之前发出": paid between the cut-offs of the day before yesterday and yesterday, so due
    by today's cut-off ship time (16:00)."""
    window = Q(pk__in=[])
    for channel in _cutoff_channels(ctx):
        window |= Q(channel_id=channel.pk, paid_at__gte=cutoff_day(ctx.at, channel, 2),
                    paid_at__lt=cutoff_day(ctx.at, channel, 1))
    return Check(filter=OPEN & window, message=_cutoff_message(ctx), since=_cutoff_since(ctx))


@rule("not_allocated", gettext_noop("WMS未分配"), "medium", reads=("wms",))
def not_allocated(ctx: RuleContext) -> Check:
    """Sent to the warehouse but WMS has not allocated all of it. "Sent" is 配货中, or an ERP number, or any WMS
    allocation state: the importer copies a WMS record's 分配状态 and 系统单号 onto the order, so these cover it."""
    sent = Q(status=OrderStatus.ALLOCATING) | ~Q(erp_order_no="") | ~Q(allocation=Allocation.NOT_SENT)

    def message(o: Order) -> str:
        state = o.allocation_raw or (Allocation(o.allocation).label if o.allocation else "无分配记录")
        return f"已推送仓库, WMS 分配状态: {state}"

    return Check(filter=OPEN & ~Q(allocation=Allocation.COMPLETE) & sent, message=message, since=paid_or_placed)


# ---- pharmacy --------------------------------------------------------------------------------------------

def rx_unapproved() -> Q:
    """Contains an Rx item (Order.has_rx, kept by the importer from the lines) and no approval in force: an order
    that may not ship (rx_review's queue; the push queues and the COD sheet leave it out with the same test)."""
    return Q(has_rx=True) & ~Q(Exists(RxReview.objects.approved().filter(order=OuterRef("pk"))))


@rule("rx_review", gettext_noop("处方待审核"), "high", reads=("stock",))
def rx_review(ctx: RuleContext) -> Check:
    """Open and rx_unapproved()."""
    in_force = RxReview.objects.in_force().filter(order=OuterRef("pk"))

    def message(o: Order) -> str:
        if extra(o, "rx_rejected"):
            return "含处方药, 药师已驳回处方, 不得发货"
        if extra(o, "rx_voided"):
            return "含处方药, 审核通过后处方药明细已变更, 需药师重新审核, 不得发货"
        return "含处方药, 尚无药师审核通过的处方, 不得发货"

    return Check(
        filter=OPEN & rx_unapproved(),
        annotations={
            "rx_rejected": Exists(in_force.filter(decision=RxReview.Decision.REJECT)),
            "rx_voided": Exists(in_force.filter(voided_at__isnull=False)),
        },
        message=message,
        since=paid_or_placed,
    )


@rule("unpaid_rx", gettext_noop("待付款处方单"), "medium", reads=("stock",))
def unpaid_rx(ctx: RuleContext) -> Check:
    return Check(
        filter=Q(status=OrderStatus.UNPAID, has_rx=True),
        message=lambda o: f"待付款订单含处方药 (下单 {hm(o.placed_at)}), 核实处方并引导加药师微信",
        since=lambda o: o.placed_at,
        order_by=("placed_at",),
    )


@rule("rx_wechat", gettext_noop("引导加药师微信"), "medium", reads=("stock",))
def rx_wechat(ctx: RuleContext) -> Check:
    """"加药师微信": the buyers whose prescription the pharmacist still needs — an Rx order unpaid, or awaiting
    shipment without an approved review (rx_review and unpaid_rx together; the contact list of 官网 is these)."""
    review, unpaid = rx_review(ctx), unpaid_rx(ctx)

    def message(o: Order) -> str:
        return unpaid.message(o) if o.status == OrderStatus.UNPAID else f"{review.message(o)}; 引导顾客加药师微信发处方"

    return Check(filter=review.filter | unpaid.filter, annotations=review.annotations, message=message,
                 since=paid_or_placed, order_by=("placed_at",))


@rule("tcm_spec", gettext_noop("中药规格核对"), "medium", reads=("stock",))
def tcm_spec(ctx: RuleContext) -> Check:
    tcm_line = OrderLine.objects.filter(order=OuterRef("pk"), tcm=True).order_by("line_no")
    item = Concat("name", Value(" "), "spec", output_field=TextField())

    def message(o: Order) -> str:
        item = (extra(o, "tcm_item") or "").strip()
        what = f"中药 {item}" if item else "中药"
        return f"含{what}, 发货前核对规格 (如 10g / 500g)"

    return Check(
        filter=OPEN & Q(has_tcm=True) & ~Q(Exists(TcmCheck.objects.filter(order=OuterRef("pk")))),
        annotations={"tcm_item": Subquery(tcm_line.annotate(item=item).values("item")[:1])},
        message=message,
        since=paid_or_placed,
    )


# ---- notes and ERP ---------------------------------------------------------------------------------------

@rule("buyer_note", gettext_noop("留言备注未读"), "medium", reads=("erp",))
def buyer_note(ctx: RuleContext) -> Check:
    """A buyer message or seller note whose current text nobody has acknowledged (by hash: a changed text
    needs a new acknowledgement)."""
    acks = Acknowledgement.objects.filter(order=OuterRef("pk"))
    # Hashing the texts in the database is the costly part, so it is the last resort: never acknowledged →
    # unread; acknowledged after the order's last import (updated_at) → the text read is the text there now.
    unread = ~Q(Exists(acks)) | (
        ~Q(Exists(acks.filter(at__gte=OuterRef("updated_at")))) & ~Q(Exists(acks.filter(text_hash=note_hash_outer())))
    )

    def message(o: Order) -> str:
        parts = [f"{label}: 「{preview(text)}」" for label, text in
                 (("买家留言", o.buyer_message), ("客户备注", o.seller_note)) if text]
        prefix = "留言已更改, 需重新确认 · " if extra(o, "acked_before") else ""
        return prefix + " · ".join(parts)

    return Check(
        filter=NOT_DONE & (~Q(buyer_message="") | ~Q(seller_note="")) & unread,
        annotations={"acked_before": Exists(acks)},
        message=message,
        since=paid_or_placed,
    )


@rule("erp_exception", gettext_noop("万里牛异常"), "medium", reads=("erp",))
def erp_exception(ctx: RuleContext) -> Check:
    return Check(
        filter=NOT_DONE & Q(erp_abnormal=True),
        message=lambda o: f"万里牛标记异常: {o.erp_abnormal_reason or '未注明原因'}",
        since=paid_or_placed,
    )


@rule("cod_courier", gettext_noop("货到付款未走中通"), "high", reads=("wms",))
def cod_courier(ctx: RuleContext) -> Check:
    def message(o: Order) -> str:
        if not o.courier:
            return "货到付款订单尚未指定快递, 须走中通快递"
        return f"货到付款订单快递为 {courier_text(o.courier, o.courier_raw)}, 须走中通快递"

    return Check(
        filter=OPEN & Q(payment=Payment.COD) & ~Q(courier=Courier.ZTO),
        message=message,
        since=lambda o: o.placed_at,
        order_by=("placed_at",),
    )


# ---- pushing 官网 orders on (the operator filters them in the channel's back-end) ---------------------------

def _pushes_by_hand(channel: Channel) -> bool:
    return channel.manual_push


def _pushed_by_hand(ctx: RuleContext) -> Q:
    """Awaiting shipment (not yet 配货中) on a channel whose orders the operator pushes on by hand (官网), and free to
    push now: an Rx order without an approved review may not ship (it waits in rx_review and the 加药师微信 list), so
    the push queues and their checklist counts are the orders to push now."""
    channels = [pk for pk, channel in ctx.channels.items() if _pushes_by_hand(channel)]
    return Q(status=OrderStatus.AWAITING_SHIPMENT, channel_id__in=channels) & ~rx_unapproved()


@rule("paid_to_push", gettext_noop("待发货平台收款"), "medium", channels=_pushes_by_hand)
def paid_to_push(ctx: RuleContext) -> Check:
    """"全部订单筛选待发货、平台收款 … 推到待发货中": the orders that filter finds, to push on after the stock check."""
    return Check(
        filter=_pushed_by_hand(ctx) & Q(payment=Payment.PLATFORM_PAID),
        message=lambda o: f"平台收款 {hm(o.paid_at)} 付款, 待发货: 查看库存和客户备注后推到待发货中",
        since=paid_or_placed,
    )


@rule("cod_to_push", gettext_noop("货到付款待推配货"), "medium", channels=_pushes_by_hand)
def cod_to_push(ctx: RuleContext) -> Check:
    """"待发货的货到付款订单数, 推到配货中": COD orders still 待发货 (the COD sheet takes only 配货中 ones)."""
    return Check(
        filter=_pushed_by_hand(ctx) & Q(payment=Payment.COD),
        message=lambda o: f"货到付款 {hm(o.placed_at)} 下单, 待发货: 推到配货中 (指定中通快递)",
        since=lambda o: o.placed_at,
        order_by=("placed_at",),
    )


# ---- stock -----------------------------------------------------------------------------------------------

def short_lines_sql() -> RawSQL:
    """Open orders with a line asking for more than the product's stock on hand.

    Why each order against stock on hand, and not all open orders' demand summed per SKU: 可用库存 in the stock
    export is what the ERP can still promise — stock already reserved for orders pushed to the warehouse is
    netted out of it — so the notes' question "推送之前查看一下库存" is exactly "can this order be filled from what
    is available". Summing every open order would count the reserved ones twice. Unknown stock (NULL) flags
    nothing. CROSS JOIN keeps SQLite's join order: products first, then only their short lines through the
    (sku, qty, order) index, which holds the order ids (no line row read), then those lines' orders by primary
    key."""
    line, product, order = OrderLine._meta.db_table, Product._meta.db_table, Order._meta.db_table
    return RawSQL(
        f"SELECT l.order_id FROM {product} p CROSS JOIN {line} l CROSS JOIN {order} o "
        f"WHERE p.stock IS NOT NULL AND l.sku = p.sku AND l.qty > p.stock AND o.id = l.order_id "
        f"AND o.status IN ({', '.join(['%s'] * len(OPEN_STATUSES))})",
        [str(status) for status in OPEN_STATUSES],
    )


@rule("stock_short", gettext_noop("库存不足"), "high", reads=("stock",))
def stock_short(ctx: RuleContext) -> Check:
    stock = Product.objects.filter(sku=OuterRef("sku")).values("stock")[:1]
    short = (
        OrderLine.objects.filter(order=OuterRef("pk")).annotate(stock=Subquery(stock))
        .filter(qty__gt=F("stock")).order_by("line_no")
    )

    def message(o: Order) -> str:
        return f"{extra(o, 'short_line')} 需 {extra(o, 'short_qty')}, 可用库存仅 {extra(o, 'short_stock')}"

    item = Concat("sku", Value(" "), "name", output_field=TextField())
    return Check(
        filter=Q(pk__in=short_lines_sql()),
        # For one order, its own lines against stock: the queue's list of short lines takes 0.2 s at 500k orders.
        one_order=OPEN & Q(Exists(short)),
        annotations={
            "short_line": Subquery(short.annotate(item=item).values("item")[:1]),
            "short_qty": Subquery(short.values("qty")[:1]),
            "short_stock": Subquery(short.values("stock")[:1]),
        },
        message=message,
        since=paid_or_placed,
    )


# ---- after-sales -----------------------------------------------------------------------------------------

@rule("returned_unrefunded", gettext_noop("退货入库未退款"), "high", reads=("erp", "erp_aftersales"))
def returned_unrefunded(ctx: RuleContext) -> Check:
    def message(o: Order) -> str:
        ref = return_ref(extra(o, "return_note"))
        return f"万里牛已新建售后单【{ref}】, 退货已入库, 尚未退款"

    return Check(
        filter=returned_filter() & ~Q(aftersales=AfterSales.REFUNDED),
        annotations=return_annotations(),
        message=message,
        since=lambda o: extra(o, "return_at") or o.updated_at,
        order_by=("updated_at",),
        one_order=order_returned_filter() & ~Q(aftersales=AfterSales.REFUNDED),
    )


@rule("aftersales_pending", gettext_noop("售后待处理"), "medium")
def aftersales_pending(ctx: RuleContext) -> Check:
    def message(o: Order) -> str:
        state = o.aftersales_raw or AfterSales(o.aftersales).label
        return f"售后状态「{state}」, 退款/退货申请待处理"

    return Check(
        filter=Q(aftersales__in=(AfterSales.PENDING, AfterSales.REFUNDING)),
        message=message,
        since=lambda o: o.updated_at,
        order_by=("updated_at",),
    )


def _deadline_left(ctx: RuleContext, deadline: datetime | None) -> str:
    """"还剩 5 小时" before the deadline, "已超时 2 小时" from it on."""
    if deadline is None:
        return "—"
    return f"已超时 {since_now(ctx, deadline)}" if deadline <= ctx.at else f"还剩 {until(ctx, deadline)}"


def _window_start(deadline: datetime | None, window: timedelta) -> datetime | None:
    """Since when a deadline has been near: the warning window before it (as ship_due_soon counts)."""
    return deadline - window if deadline else None


# 拼多多 decides for the buyer when the shop lets an after-sales request run out: the states where it is the shop's
# move (and those the profile does not know, to be safe).
AFTERSALE_OURS = (ChannelAftersale.Status.SELLER, ChannelAftersale.Status.UNKNOWN)


@rule("aftersale_expiring", gettext_noop("售后即将超时"), "high", reads=("pdd_aftersales",), channels=_no_channel)
def aftersale_expiring(ctx: RuleContext) -> Check:
    """"即将超时的售后 (拼多多)": a channel after-sales request awaiting the shop whose 超时时间 is within the warning
    window (warning_hours) or past. Read from the requests' side: the open ones near their deadline are few."""
    window = timedelta(hours=ctx.config.warning_hours)
    expiring = ChannelAftersale.objects.filter(status__in=AFTERSALE_OURS, deadline__lte=ctx.at + window)
    mine = expiring.filter(order_no=OuterRef("order_no"), channel_id=OuterRef("channel_id")).order_by("deadline")

    def message(o: Order) -> str:
        kind = extra(o, "aftersale_kind") or "售后"
        return (f"{kind} {extra(o, 'aftersale_no')} ({extra(o, 'aftersale_status')}) 超时时间 "
                f"{hm(extra(o, 'aftersale_deadline'))}, {_deadline_left(ctx, extra(o, 'aftersale_deadline'))}")

    return Check(
        filter=Q(order_no__in=expiring.values("order_no")) & Q(Exists(mine)),
        annotations={"aftersale_no": Subquery(mine.values("aftersale_no")[:1]),
                     "aftersale_kind": Subquery(mine.values("kind_raw")[:1]),
                     "aftersale_status": Subquery(mine.values("status_raw")[:1]),
                     "aftersale_deadline": Subquery(mine.values("deadline")[:1])},
        message=message,
        since=lambda o: _window_start(extra(o, "aftersale_deadline"), window),
        order_by=("placed_at",),
    )


def _open_states(case_type: str) -> list[str]:
    return [state for state in machine.states_of(case_type) if machine.next_states(case_type, state)]


@rule("complaint_due", gettext_noop("投诉即将到期"), "high", channels=_no_channel)
def complaint_due(ctx: RuleContext) -> Check:
    """"待投诉订单": a complaint (投诉) logged by service, still open, whose deadline is within the warning window
    (warning_hours) or past."""
    window = timedelta(hours=ctx.config.warning_hours)
    due = Case.objects.filter(type=CaseType.COMPLAINT, state__in=_open_states(CaseType.COMPLAINT),
                              deadline__lte=ctx.at + window)
    mine = due.filter(order=OuterRef("pk")).order_by("deadline", "pk")

    def message(o: Order) -> str:
        deadline = extra(o, "complaint_deadline")
        note = preview(extra(o, "complaint_note") or "")
        return (f"投诉 #{extra(o, 'complaint_id')}{f' 「{note}」' if note else ''} 处理期限 {hm(deadline)}, "
                f"{_deadline_left(ctx, deadline)}")

    return Check(
        filter=Q(pk__in=due.values("order_id")),
        annotations={"complaint_id": Subquery(mine.values("pk")[:1]),
                     "complaint_note": Subquery(mine.values("note")[:1]),
                     "complaint_deadline": Subquery(mine.values("deadline")[:1])},
        message=message,
        since=lambda o: _window_start(extra(o, "complaint_deadline"), window),
        order_by=("placed_at",),
    )


# ---- logistics -------------------------------------------------------------------------------------------

# A WMS 物流最后更新 that starts with its time ("2026-11-19 18:02 【南京转运中心】已发出") is compared as text: the
# ISO-like prefix sorts as the time does. One without a leading time says nothing of when: the shipped time counts.
STAMP_LOW, STAMP_HIGH, STAMP_LEN = "1000-", "9999-99-99 99:99:99", 19
# The lost-parcel case a stale parcel opens starts with this description, for the person to add to (the notes'
# 暂记丢件 + 描述, whose example reads "顾客已多次投诉 物流一直未更新 …"): the queue's own message is no text for a courier.
LOST_PARCEL_NOTE = "物流一直未更新"


def _stamp(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M:%S")


def _dated(wms: Any) -> Any:
    return wms.filter(last_update__gte=STAMP_LOW, last_update__lt=STAMP_HIGH)


def _lost_parcel_orders() -> Any:
    """Parcels already registered as lost (a case not cancelled) are being claimed: the flag has been acted on.
    The orders' ids as one list (the case_type_state index), not a lookup per shipped order."""
    return Case.objects.filter(type=CaseType.LOST_PARCEL).exclude(state=CaseState.CANCELLED).values("order_id")


def _moved_before(limit: datetime) -> Q:
    """The parcel's last move is older than `limit`: the WMS update time when the order's record has one, else the
    shipped time. One test written for each database's planner (an order has at most one WMS record, so both
    say the same). SQLite takes the unique index for `=` without weighing the others: there the record is a range
    of one order number, read from wms_order_last_update alone, once per order unless it shipped before the
    limit (50,000 shipped orders, none stale: a page 235 → 75 ms). PostgreSQL hashes the subqueries tied by `=`
    for a count and probes them for a page: the form it always had."""
    stamp = _stamp(limit)
    if connection.vendor == "sqlite":
        dated = _dated(WmsRecord.objects.filter(order_no__gte=OuterRef("order_no"), order_no__lte=OuterRef("order_no")))
        return Q(Exists(dated.filter(last_update__lt=stamp))) | (Q(shipped_at__lt=limit) & ~Q(Exists(dated)))
    dated = _dated(WmsRecord.objects.filter(order_no=OuterRef("order_no")))
    return ~Q(Exists(dated.filter(last_update__gte=stamp))) & (Q(shipped_at__lt=limit) | Q(Exists(dated)))


@rule("logistics_stale", gettext_noop("物流长时间未更新"), "medium", reads=("wms",))
def logistics_stale(ctx: RuleContext) -> Check:
    """Shipped, not delivered, and the parcel has not moved for `stale_hours` (72 h): caught before the buyer
    complains "物流一直未更新", so that the lost-parcel claim can start (the queue offers 登记丢件, LOST_PARCEL_NOTE)."""
    limit = ctx.at - timedelta(hours=ctx.config.stale_hours)
    # The shipped, undelivered orders come from their own partial index (order_shipped_undelivered).
    stale = Q(status=OrderStatus.SHIPPED, delivered_at__isnull=True) & _moved_before(limit)
    stale &= ~Q(pk__in=_lost_parcel_orders())
    wms = WmsRecord.objects.filter(order_no=OuterRef("order_no"))

    def last(o: Order) -> datetime | None:
        text = (extra(o, "logistics_last") or "")[:STAMP_LEN]
        try:
            return local(datetime.fromisoformat(text.strip()))
        except ValueError:
            return o.shipped_at

    def message(o: Order) -> str:
        what = preview(extra(o, "logistics_last") or "") or f"{hm(o.shipped_at)} 发货后"
        return f"{courier_text(o.courier, o.courier_raw) or '快递'} {o.tracking_no or '无快递单号'} 物流已 " \
               f"{since_now(ctx, last(o))} 未更新 (最后: {what})"

    return Check(
        filter=stale,
        annotations={"logistics_last": Subquery(wms.values("last_update")[:1])},
        message=message,
        since=last,
        order_by=("shipped_at",),
    )


# A rule registered without its code in opsdesk.rules.codes (or a code without its rule) is a mistake to see at once.
if set(REGISTRY) != set(CODES):
    raise RuntimeError(f"opsdesk.rules.codes.CODES and the registered rules differ: {set(REGISTRY) ^ set(CODES)}")
REGISTRY = {code: REGISTRY[code] for code in CODES}
