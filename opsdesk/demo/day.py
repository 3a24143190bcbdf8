"""The demo day: a few hundred made-up orders on every channel, written as the real export files (官网 xlsx with a
title line and a total row, 拼多多 csv, …, the ERP, its after-sales, the WMS and the stock sheet) and imported
through the real importer. Designed so that each of the thirteen rules flags a handful of orders at the demo
moment, the COD sheet has orders and warnings, and the checklist has live counts."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from opsdesk.demo.fake import (
    ABNORMAL_REASONS,
    BUYER_MESSAGES,
    GONE,
    OPEN,
    SELLER_NOTES,
    FakeProduct,
    person_make,
    products_make,
)
from opsdesk.lib import dates

# channel → (name, how many orders on the demo day)
CHANNELS: dict[str, tuple[str, int]] = {
    "official": ("官网", 80), "pdd": ("拼多多", 70), "yaofangwang": ("药房网", 50), "pingan": ("平安好医生", 40),
    "suning": ("苏宁", 30), "jiage315": ("315", 25), "xywy": ("寻医问药", 25),
}
PROMISE_HOURS = 48
# A channel whose export is from last night (minutes before the demo moment): the sources strip shows it stale, and
# its orders are the ones that export could hold (placed, paid and shipped before it was made).
STALE_EXPORT_MINUTES = {"xywy": 14 * 60}
STATUS_WEIGHTS = {"awaiting_shipment": 36, "allocating": 14, "shipped": 26, "delivered": 12, "unpaid": 6,
                  "cancelled": 6}
# pdd exports only paid orders.
PDD_STATUS_WEIGHTS = {k: v for k, v in STATUS_WEIGHTS.items() if k != "unpaid"}
PRODUCT_COUNT = 60
# Orders per hour of the day (Shanghai): few at night, busy from mid-morning, an evening peak after dinner.
HOUR_WEIGHTS = (3, 2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 9, 9, 9, 9, 9, 10, 12, 12, 9, 6)
# The warehouse hands parcels to the couriers in working hours only.
WORK_START, WORK_END = time(9, 0), time(18, 0)
# The one scan of a parcel that stopped moving (logistics_stale).
STALE_SCAN = "【南京市】快件已揽收"


DEMO_CLOCK = time(9, 20)


def demo_moment(day: date) -> datetime:
    """The clock the demo is built around: 09:20 of the demo day, ten minutes before the 09:30 steps fall due."""
    return dates.at_time(day, DEMO_CLOCK)


@dataclass
class DemoOrder:
    channel: str
    order_no: str
    status: str
    payment: str
    placed: datetime
    paid: datetime | None
    ship_by: datetime | None
    person: dict[str, str]
    lines: list[tuple[FakeProduct, int]]
    shipped: datetime | None = None
    delivered: datetime | None = None
    buyer_message: str = ""
    seller_note: str = ""
    aftersales: str = ""
    erp_order_no: str = ""
    erp_abnormal: str = ""
    returned: str = ""
    allocation: str = ""
    courier: str = ""
    tracking_no: str = ""
    # The WMS 物流最后更新: its time and what it says ("" = none yet).
    logistics_at: datetime | None = None
    logistics: str = ""

    @property
    def amount(self) -> str:
        return f"{sum(product.cents * qty for product, qty in self.lines) / 100:.2f}"


@dataclass
class DemoDay:
    day: date
    moment: datetime
    products: list[FakeProduct]
    orders: list[DemoOrder] = field(default_factory=list)
    files: list[tuple[str, Path]] = field(default_factory=list)


class DayMaker:
    """Random orders around the moment, then a few set on purpose (SCENARIOS) so that every rule has work."""

    def __init__(self, *, day: date, moment: datetime, seed: int) -> None:
        self.rng = random.Random(seed)
        self.day, self.moment = day, moment
        self.products = products_make(count=PRODUCT_COUNT, seed=seed)
        # Rx and TCM items are a minority of what a pharmacy sells online, and sold-out items rarely sell.
        self.weights = [0.1 if p.rx or p.tcm or p.stock == 0 else 1.0 for p in self.products]
        self.serial = 0

    def number(self, channel: str, placed: datetime) -> str:
        self.serial += 1
        stamp = dates.local(placed).strftime("%y%m%d")
        tail = f"{self.rng.randrange(10**6):06d}{self.serial:03d}{self.rng.randint(1, 9)}"
        return {
            "official": f"GW{stamp}{tail}", "pdd": f"{stamp}-{self.rng.randrange(10**5):05d}{tail}",
            "yaofangwang": f"YF{stamp}{tail}", "pingan": f"8{stamp}{tail}", "suning": f"3{stamp}{tail}",
            "jiage315": f"315{stamp}{tail}", "xywy": f"XY{stamp}{tail}",
        }[channel]

    def hours_ago(self, low: float, high: float) -> datetime:
        """A moment `low`..`high` hours before the demo moment, as likely as its hour is busy (HOUR_WEIGHTS)."""
        top = max(HOUR_WEIGHTS)
        while True:
            moment = self.moment - timedelta(hours=self.rng.uniform(low, high))
            if self.rng.random() * top < HOUR_WEIGHTS[dates.local(moment).hour]:
                return moment.replace(microsecond=0)

    def working(self, ready: datetime) -> datetime | None:
        """The first working-hours moment (09:00–18:00) from `ready` on, some minutes in; None when it is still
        to come at the demo moment."""
        local = dates.local(ready)
        start = local
        if local.time() >= WORK_END:
            start = dates.at_time(local.date() + timedelta(days=1), WORK_START)
        elif local.time() < WORK_START:
            start = dates.at_time(local.date(), WORK_START)
        end = dates.at_time(start.date(), WORK_END)
        found = min(start + timedelta(minutes=self.rng.randint(5, 80)), end).replace(microsecond=0)
        return found if found <= self.moment else None

    def ship_by(self, channel: str, paid: datetime) -> datetime:
        if channel == "yaofangwang":  # paid before 17:00 ships by 16:00 the next day
            local = dates.local(paid)
            days = 1 if local.time() < time(17, 0) else 2
            return dates.at_time(local.date() + timedelta(days=days), time(16, 0))
        return paid + timedelta(hours=PROMISE_HOURS)

    def order(self, channel: str) -> DemoOrder:
        rng = self.rng
        weights = PDD_STATUS_WEIGHTS if channel == "pdd" else STATUS_WEIGHTS
        status = rng.choices(list(weights), weights=list(weights.values()))[0]
        payment = self.payment(channel, status)
        ages = {"unpaid": (0.2, 30), "cancelled": (1, 72), "shipped": (6, 72), "delivered": (48, 120)}
        low, high = (0.5, 20) if payment == "cod" else ages.get(status, (0.3, 30))
        placed = self.hours_ago(low, high)
        paid = None if status == "unpaid" or payment == "cod" else placed + timedelta(minutes=rng.randint(1, 20))
        size = 1 if channel == "pdd" else rng.choice((1, 1, 2, 3))
        products = rng.choices(self.products, weights=self.weights, k=size)
        order = DemoOrder(
            channel=channel, order_no=self.number(channel, placed), status=status, payment=payment, placed=placed,
            paid=paid, ship_by=None if status == "unpaid" else self.ship_by(channel, paid or placed),
            person=person_make(rng), lines=[(p, rng.choice((1, 1, 2))) for p in dict.fromkeys(products)],
        )
        self.notes(order)
        self.fulfil(order)
        return order

    def payment(self, channel: str, status: str) -> str:
        if status == "unpaid":
            return ""
        if channel != "official":
            return "platform_paid"
        choice = self.rng.choices(("cod", "wechat", "alipay", "platform_paid"), weights=(30, 30, 20, 20))[0]
        return "" if choice == "cod" and status in ("cancelled",) else choice

    def notes(self, order: DemoOrder) -> None:
        rng = self.rng
        if rng.random() < 0.05:
            order.buyer_message = rng.choice(BUYER_MESSAGES)
        if rng.random() < 0.03:
            order.seller_note = rng.choice(SELLER_NOTES)
        if order.status in GONE:
            order.aftersales = rng.choices(("", "pending", "refunding", "refunded"), weights=(90, 3, 2, 5))[0]
        elif order.status in OPEN and rng.random() < 0.02:
            order.aftersales = "refunding"

    def fulfil(self, order: DemoOrder) -> None:
        """ERP number for paid orders; WMS allocation, courier and tracking for those pushed to the warehouse."""
        rng = self.rng
        if order.status in ("unpaid", "cancelled"):
            return
        order.erp_order_no = f"XD{dates.local(order.placed):%y%m%d}{rng.randrange(10**6):06d}{self.serial:04d}"
        if order.status in OPEN and rng.random() < 0.03:
            order.erp_abnormal = rng.choice(ABNORMAL_REASONS)
        if order.status in GONE and order.aftersales != "refunded" and rng.random() < 0.03:
            order.returned = f"SH{self.day:%y%m%d}{self.serial:04d}"
        if order.status in GONE:
            self.ship(order)
        if order.status in GONE:
            order.allocation = "分配完成"
            self.logistics(order)
        else:  # the ERP pushes paid orders to the WMS, which allocates nearly all of them
            order.allocation = rng.choices(("分配完成", "部分分配", "未分配", "缺货"), weights=(94, 2, 2, 2))[0]
        if order.allocation == "分配完成" and (order.status in GONE or rng.random() < 0.75):
            self.courier(order, "中通快递" if order.payment == "cod" or rng.random() < 0.6 else "申通快递")

    def ship(self, order: DemoOrder) -> None:
        """Handed to the courier in working hours and delivered some days later in the daytime; an order whose
        working hours have not come yet at the demo moment is still 配货中 (or not yet delivered)."""
        order.shipped = self.working(order.placed + timedelta(hours=self.rng.uniform(3, 20)))
        if order.shipped is None:
            order.status, order.aftersales, order.returned = "allocating", "", ""
            return
        if order.status == "delivered":
            order.delivered = self.working(order.shipped + timedelta(hours=self.rng.uniform(30, 70)))
            order.status = "delivered" if order.delivered else "shipped"

    def logistics(self, order: DemoOrder) -> None:
        """The parcel's last scan: delivered ones say so; moving ones were scanned a few hours ago."""
        assert order.shipped is not None
        if order.delivered:
            order.logistics_at, order.logistics = order.delivered, "已签收"
            return
        scanned = self.moment - timedelta(hours=self.rng.uniform(1, 20))
        order.logistics_at = max(order.shipped + timedelta(hours=2), scanned).replace(microsecond=0)
        order.logistics = self.rng.choice(("【南京转运中心】已发出", "【途中】运输中", "【派送中】快递员正在派件"))

    def courier(self, order: DemoOrder, courier: str) -> None:
        order.courier = courier
        prefix = "75" if courier == "中通快递" else "77"
        order.tracking_no = f"{prefix}{self.rng.randrange(10**11, 10**12)}"


# ---- orders set on purpose: (channel, its n-th order) → what it shows ---------------------------------------

def _open(order: DemoOrder, maker: DayMaker, paid_hours_ago: float, status: str = "awaiting_shipment") -> None:
    order.status, order.aftersales, order.returned = status, "", ""
    order.paid = (maker.moment - timedelta(hours=paid_hours_ago)).replace(microsecond=0)
    order.placed = order.paid - timedelta(minutes=5)
    order.ship_by = maker.ship_by(order.channel, order.paid)
    order.shipped = order.delivered = order.logistics_at = None
    order.logistics = ""
    if order.payment in ("", "cod"):
        order.payment = "platform_paid" if order.channel != "official" else "wechat"
    if not order.erp_order_no:
        order.erp_order_no = f"XD{dates.local(order.placed):%y%m%d}9{maker.serial:04d}{len(order.order_no):02d}"
    if status == "awaiting_shipment":  # allocated, waiting for the courier
        order.allocation, order.courier, order.tracking_no = "分配完成", "", ""


def _overdue(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, PROMISE_HOURS + maker.rng.uniform(1, 6))


def _due_soon(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, PROMISE_HOURS - maker.rng.uniform(1.5, 5))


def _cutoff_missed(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, 52 + maker.rng.uniform(0, 6))


def _paid_before_cutoff_yesterday(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, 0)
    yesterday = dates.local(maker.moment).date() - timedelta(days=1)
    order.paid = dates.at_time(yesterday, time(16, 20))
    order.placed, order.ship_by = order.paid - timedelta(minutes=3), maker.ship_by(order.channel, order.paid)
    order.allocation = "分配完成"


def _paid_after_cutoff_yesterday(order: DemoOrder, maker: DayMaker) -> None:
    _paid_before_cutoff_yesterday(order, maker)
    order.paid = dates.at_time(dates.local(maker.moment).date() - timedelta(days=1), time(18, 40))
    order.placed, order.ship_by = order.paid - timedelta(minutes=3), maker.ship_by(order.channel, order.paid)


def _partly_allocated(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, 20, status="allocating")
    order.allocation, order.courier, order.tracking_no = "部分分配", "", ""


def _with_item(kind: str) -> Callable[[DemoOrder, DayMaker], None]:
    def apply(order: DemoOrder, maker: DayMaker) -> None:
        _open(order, maker, 10)
        if kind == "zero":
            product = next(p for p in maker.products if p.stock == 0)
        else:
            product = next(p for p in maker.products if getattr(p, kind))
        order.lines = [(product, 1), *[line for line in order.lines if line[0] != product][:1]]

    return apply


def _unpaid_rx(order: DemoOrder, maker: DayMaker) -> None:
    order.status, order.payment, order.paid, order.ship_by = "unpaid", "", None, None
    order.erp_order_no = order.allocation = order.courier = order.tracking_no = order.erp_abnormal = ""
    order.aftersales = order.returned = ""
    order.shipped = order.delivered = None
    order.lines = [(next(p for p in maker.products if p.rx), 1)]


def _buyer_message(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, 6)
    order.buyer_message = "药品请用防压盒包装, 谢谢"


def _cod(courier: str, *, tracked: bool = True) -> Callable[[DemoOrder, DayMaker], None]:
    """COD orders in 配货中: by STO on purpose (the rule and the sheet flag it), with no courier yet, or by ZTO
    with or without a tracking number (the sheet warns about the missing one)."""

    def apply(order: DemoOrder, maker: DayMaker) -> None:
        _open(order, maker, 3, status="allocating")
        order.payment, order.paid, order.allocation = "cod", None, "分配完成"
        order.courier = order.tracking_no = ""
        if courier:
            maker.courier(order, courier)
        if not tracked:
            order.tracking_no = ""

    return apply


def _erp_abnormal(order: DemoOrder, maker: DayMaker) -> None:
    _open(order, maker, 12)
    order.erp_abnormal = "地址异常"


def _returned(order: DemoOrder, maker: DayMaker) -> None:
    order.status, order.aftersales = "shipped", "pending"
    order.placed = maker.hours_ago(30, 70)
    order.paid = order.placed + timedelta(minutes=4)
    order.ship_by = maker.ship_by(order.channel, order.paid)
    order.shipped = maker.working(order.placed + timedelta(hours=5))
    order.erp_order_no = order.erp_order_no or f"XD{dates.local(order.placed):%y%m%d}8{maker.serial:04d}"
    order.allocation = "分配完成"
    maker.courier(order, "申通快递")
    maker.logistics(order)
    order.returned = f"SH{maker.day:%y%m%d}9{len(order.order_no):02d}{maker.serial:03d}"


def _logistics_stale(order: DemoOrder, maker: DayMaker) -> None:
    """Shipped four days ago, scanned once at pick-up and never since: the parcel the buyer will complain about."""
    _open(order, maker, 100, status="shipped")
    order.allocation = "分配完成"
    order.shipped = maker.working(order.paid + timedelta(hours=3)) if order.paid else None
    maker.courier(order, "中通快递")
    assert order.shipped is not None
    order.logistics_at, order.logistics = order.shipped + timedelta(hours=2), STALE_SCAN


def _aftersales(state: str) -> Callable[[DemoOrder, DayMaker], None]:
    def apply(order: DemoOrder, maker: DayMaker) -> None:
        _returned(order, maker)
        order.returned, order.aftersales = "", state

    return apply


SCENARIOS: dict[tuple[str, int], Callable[[DemoOrder, DayMaker], None]] = {
    ("pdd", 0): _overdue, ("pdd", 1): _overdue, ("suning", 0): _overdue,
    ("pdd", 2): _due_soon, ("pingan", 0): _due_soon, ("xywy", 0): _due_soon,
    ("yaofangwang", 0): _cutoff_missed, ("yaofangwang", 1): _cutoff_missed,
    ("yaofangwang", 2): _paid_before_cutoff_yesterday, ("yaofangwang", 3): _paid_after_cutoff_yesterday,
    ("suning", 1): _partly_allocated, ("pingan", 1): _partly_allocated,
    ("pingan", 2): _with_item("rx"), ("yaofangwang", 4): _with_item("rx"),
    ("official", 0): _unpaid_rx, ("jiage315", 0): _unpaid_rx,
    ("xywy", 1): _buyer_message, ("official", 1): _buyer_message,
    ("official", 2): _with_item("tcm"), ("jiage315", 1): _with_item("tcm"),
    ("suning", 2): _with_item("zero"), ("pdd", 3): _with_item("zero"),
    ("official", 3): _cod("申通快递"), ("official", 4): _cod("中通快递", tracked=False), ("official", 5): _cod(""),
    ("official", 6): _cod("中通快递"), ("official", 7): _cod("中通快递"),
    ("pdd", 4): _erp_abnormal, ("xywy", 2): _erp_abnormal,
    ("pdd", 5): _returned, ("pingan", 3): _returned, ("official", 8): _returned,
    ("pdd", 6): _aftersales("pending"), ("yaofangwang", 5): _aftersales("refunding"),
    ("pdd", 7): _logistics_stale, ("suning", 3): _logistics_stale,
}


def demo_orders_make(*, day: date, moment: datetime, seed: int = 1) -> DemoDay:
    maker = DayMaker(day=day, moment=moment, seed=seed)
    demo = DemoDay(day=day, moment=moment, products=maker.products)
    for channel, (_name, count) in CHANNELS.items():
        maker.moment = moment - timedelta(minutes=STALE_EXPORT_MINUTES.get(channel, 0))
        for index in range(count):
            order = maker.order(channel)
            scenario = SCENARIOS.get((channel, index))
            if scenario:
                scenario(order, maker)
                order.order_no = maker.number(channel, order.placed)  # its date follows the new times
            demo.orders.append(order)
    return demo
