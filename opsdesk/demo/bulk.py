"""Fill the database fast with generated orders for benchmarks: raw cursor, executemany (COPY on PostgreSQL),
one transaction. Every rule in interface.md gets work: overdue and due-soon orders, COD on STO, Rx and TCM lines,
products at 0 stock, buyer messages, ERP abnormal, pending after-sales, returns back in the warehouse."""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import itertools
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

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
from opsdesk.imports.store import indexes_rebuilt
from opsdesk.orders.models import Channel, ErpAftersale, Listing, Order, OrderLine, Product

CHUNK = 20_000
PRODUCT_COUNT = 320
STATUS_RAW = {
    "unpaid": "待付款", "awaiting_shipment": "待发货", "allocating": "配货中", "shipped": "已发货",
    "delivered": "已签收", "cancelled": "已取消",
}
PAYMENT_RAW = {"platform_paid": "平台收款", "cod": "货到付款", "wechat": "微信支付", "alipay": "支付宝", "": ""}
ALLOCATION_RAW = {"complete": "分配完成", "partial": "部分分配", "none": "未分配", "short": "缺货", "": ""}
AFTERSALES_RAW = {"pending": "售后处理中", "refunding": "退款中", "refunded": "退款成功", "closed": "售后关闭", "": ""}
COURIER_RAW = {"zto": "中通快递", "sto": "申通快递", "other": "韵达快递", "": ""}
CLOSED_WEIGHTS = {"unpaid": 6, "shipped": 32, "delivered": 50, "cancelled": 12}
AWAITING_ALLOCATION = {"": 40, "complete": 35, "partial": 10, "none": 10, "short": 5}
ALLOCATING_ALLOCATION = {"complete": 80, "partial": 10, "none": 5, "short": 5}


class Picker:
    """A weighted choice that is cheap enough to call millions of times."""

    def __init__(self, weights: dict[str, int]) -> None:
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.total)]


CLOSED = Picker(CLOSED_WEIGHTS)
AWAITING_ALLOCATION_PICK = Picker(AWAITING_ALLOCATION)
ALLOCATING_ALLOCATION_PICK = Picker(ALLOCATING_ALLOCATION)
OFFICIAL_PAYMENT = Picker({"cod": 20, "wechat": 35, "alipay": 25, "platform_paid": 20})
COD_COURIER = Picker({"zto": 95, "sto": 5})
COURIER = Picker({"zto": 60, "sto": 35, "other": 5})
SHIPPED_AFTERSALES = Picker({"": 92, "pending": 3, "refunding": 1, "refunded": 3, "closed": 1})
OPEN_AFTERSALES = Picker({"": 98, "pending": 2})


# The per-order columns first, then those an order takes from its template.
ORDER_NAMES = (
    "id", "order_no", "erp_order_no", "erp_note", "content_hash",
    "channel_id", "status", "status_raw", "payment", "payment_raw",
    "placed_at", "paid_at", "ship_by", "shipped_at", "delivered_at",
    "receiver_name", "receiver_phone", "province", "city", "district", "address",
    "total_amount", "buyer_message", "seller_note",
    "allocation", "allocation_raw", "courier", "courier_raw", "tracking_no", "warehouse",
    "aftersales", "aftersales_raw", "erp_status_raw", "erp_order_type", "erp_abnormal", "erp_abnormal_reason",
    "has_rx", "has_tcm", "created_at", "updated_at",
)
LINE_NAMES = ("id", "order_id", "line_no", "sku", "name", "spec", "qty", "price", "amount", "rx", "tcm")
HOUR = 3600
# The other channels' numbers are digits: date, the channel's digit, the row id.
CHANNEL_DIGIT = {"yaofangwang": "1", "pingan": "2", "suning": "3", "jiage315": "4", "xywy": "5"}
TEMPLATES_PER_CHANNEL = 2048


@dataclass(frozen=True)
class Template:
    """An order's random facts. Building a few thousand and stamping each with order numbers is what makes
    half a million orders a matter of seconds rather than minutes."""

    code: str
    yymmdd: str
    in_erp: bool
    returned: bool
    rest: tuple[Any, ...]
    lines: tuple[tuple[Any, ...], ...]


class Clock:
    """Database text for whole-second UTC timestamps, from a per-minute cache: formatting millions of datetime
    objects would be most of the work."""

    def __init__(self, *, at: datetime, postgres: bool) -> None:
        self.at = int(at.timestamp())
        self.suffix = "+00:00" if postgres else ""
        self.minutes: dict[int, str] = {}

    def stamp(self, moment: int | None) -> str | None:
        if moment is None:
            return None
        minute, second = divmod(moment, 60)
        prefix = self.minutes.get(minute)
        if prefix is None:
            prefix = datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%d %H:%M:")
            self.minutes[minute] = prefix
        return f"{prefix}{second:02d}{self.suffix}"

    def yymmdd(self, moment: int) -> str:
        """The Shanghai date of a moment, as channels put it at the front of order numbers."""
        text = self.stamp(moment + 8 * HOUR) or ""
        return text[2:4] + text[5:7] + text[8:10]


def order_no_make(channel: str, yymmdd: str, seq: int) -> str:
    """Order numbers shaped like each channel's: GW… for the web shop, 201122-… for 拼多多, digits elsewhere."""
    if channel == "official":
        return f"GW{yymmdd}{seq:08d}"
    if channel == "pdd":
        return f"{yymmdd}-{seq:015d}"
    return f"{yymmdd}{CHANNEL_DIGIT.get(channel, '9')}{seq:010d}"


class OrderMaker:
    """Makes one order row (a tuple in ORDER_NAMES order) and its line rows, relative to the moment `at`."""

    def __init__(self, *, rng: random.Random, at: datetime, open_share: float, products: Sequence[FakeProduct],
                 lines_per_order: int) -> None:
        self.rng, self.open_share = rng, open_share
        self.clock = Clock(at=at, postgres=connection.vendor == "postgresql")
        self.products, self.lines_per_order = products, lines_per_order
        people = [person_make(rng) for _ in range(4096)]
        self.people = [tuple(person.values()) for person in people]
        self.now = self.clock.stamp(self.clock.at)
        self.erp_prefix = "XD" + self.clock.yymmdd(self.clock.at)

    def status(self) -> str:
        if self.rng.random() < self.open_share:
            return "awaiting_shipment" if self.rng.random() < 0.65 else "allocating"
        return CLOSED(self.rng)

    def payment(self, channel: str, status: str) -> str:
        if status == "unpaid":
            return ""
        if channel != "official":
            return "platform_paid"
        return OFFICIAL_PAYMENT(self.rng)

    def times(self, status: str, payment: str, promise_hours: int) -> tuple[int, tuple[str | None, ...]]:
        rand = self.rng.random
        hours = 0.5 + rand() * 95.5 if status in OPEN or status == "unpaid" else 1 + rand() * 719
        placed = self.clock.at - int(hours * HOUR)
        paid = None if status == "unpaid" or payment == "cod" else placed + int(rand() * 1800)
        shipped = placed + int((2 + rand() * 28) * HOUR) if status in GONE else None
        delivered = shipped + int((24 + rand() * 72) * HOUR) if shipped and status == "delivered" else None
        ship_by = None if status == "unpaid" else (paid or placed) + promise_hours * HOUR
        stamp = self.clock.stamp
        return placed, (stamp(placed), stamp(paid), stamp(ship_by), stamp(shipped), stamp(delivered))

    def fulfilment(self, status: str, payment: str) -> tuple[str, ...]:
        rng = self.rng
        if status in GONE:
            allocation = "complete"
        elif status == "awaiting_shipment":
            allocation = AWAITING_ALLOCATION_PICK(rng)
        elif status == "allocating":
            allocation = ALLOCATING_ALLOCATION_PICK(rng)
        else:
            allocation = ""
        courier = ""
        if allocation == "complete" and (status in GONE or rng.random() < 0.7):
            courier = (COD_COURIER if payment == "cod" else COURIER)(rng)
        tracking = f"{'75' if courier == 'zto' else '77'}{int(rng.random() * 10**12):012d}" if courier else ""
        if payment == "cod" and courier and rng.random() < 0.1:
            tracking = ""  # the COD sheet warns about these
        return (allocation, ALLOCATION_RAW[allocation], courier, COURIER_RAW[courier], tracking,
                "南京仓" if allocation else "")

    def aftersales(self, status: str) -> str:
        if status in GONE:
            return SHIPPED_AFTERSALES(self.rng)
        if status in OPEN:
            return OPEN_AFTERSALES(self.rng)
        return ""

    def erp(self, status: str, payment: str, aftersales: str) -> tuple[bool, tuple[Any, ...]]:
        """Whether the ERP shows the return back in the warehouse, and the ERP columns."""
        rand = self.rng.random
        if status == "unpaid":
            return False, ("", "", False, "")
        abnormal = rand() < 0.015
        returned = status in GONE and aftersales != "refunded" and rand() < 0.015
        return returned, (
            "已发货" if status in GONE else "待审核",
            "货到付款" if payment == "cod" else "普通",
            abnormal,
            ABNORMAL_REASONS[int(rand() * len(ABNORMAL_REASONS))] if abnormal else "",
        )

    def lines(self) -> tuple[tuple[Any, ...], ...]:
        rand, products = self.rng.random, self.products
        lines = []
        for line_no in range(1, self.lines_per_order + 1):
            product = products[int(rand() * len(products))]
            qty = (1, 1, 1, 2, 3)[int(rand() * 5)]
            amount = f"{product.cents * qty / 100:.2f}"
            lines.append((line_no, product.sku, product.name, product.spec, qty, product.price, amount, product.rx,
                          product.tcm))
        return tuple(lines)

    def template(self, channel: Channel) -> Template:
        rand = self.rng.random
        status = self.status()
        payment = self.payment(channel.code, status)
        placed, times = self.times(status, payment, channel.ship_promise_hours or 48)
        aftersales = self.aftersales(status)
        returned, erp = self.erp(status, payment, aftersales)
        lines = self.lines()
        rest = (
            channel.pk, status, STATUS_RAW[status], payment, PAYMENT_RAW[payment], *times,
            *self.people[int(rand() * len(self.people))], f"{sum(float(line[6]) for line in lines):.2f}",
            BUYER_MESSAGES[int(rand() * len(BUYER_MESSAGES))] if rand() < 0.06 else "",
            SELLER_NOTES[int(rand() * len(SELLER_NOTES))] if rand() < 0.03 else "",
            *self.fulfilment(status, payment), aftersales, AFTERSALES_RAW[aftersales], *erp,
            any(line[7] for line in lines), any(line[8] for line in lines), self.now, self.now,
        )
        return Template(channel.code, self.clock.yymmdd(placed), status != "unpaid", returned, rest, lines)

    def order(self, template: Template, *, seq: int, line_id: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        order_no = order_no_make(template.code, template.yymmdd, seq)
        head = (
            seq, order_no, f"{self.erp_prefix}{seq:09d}" if template.in_erp else "",
            f"售后处理:新建售后单【AS{seq:010d}】" if template.returned else "",
            hashlib.md5(order_no.encode()).hexdigest(),
        )
        return head + template.rest, [(line_id + i, seq, *line) for i, line in enumerate(template.lines)]


class TableWriter:
    """Rows for one table. Rows name their columns by field name; the model's other fields get their default,
    so that a field added to the model later does not break the generator."""

    def __init__(self, model: type[Model], names: Sequence[str]) -> None:
        self.postgres = connection.vendor == "postgresql"
        by_name = {field.attname: field for field in model._meta.concrete_fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in names and not f.primary_key]
        self.fields = [by_name[name] for name in names] + rest
        self.tail = tuple(field.get_default() for field in rest)
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.moments = [i for i, f in enumerate(self.fields) if f.get_internal_type() == "DateTimeField"]

    def stamp(self, value: datetime) -> str:
        value = value.astimezone(UTC)
        return value.isoformat(sep=" ") if self.postgres else str(value.replace(tzinfo=None))

    def write(self, cursor: Any, rows: Iterable[tuple[Any, ...]]) -> int:
        tuples = [row + self.tail for row in rows]
        if not tuples:
            return 0
        if any(isinstance(tuples[0][i], datetime) for i in self.moments):
            tuples = [self.with_stamps(row) for row in tuples]
        names = ", ".join(connection.ops.quote_name(str(field.column)) for field in self.fields)
        if self.postgres:
            with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                for row in tuples:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            cursor.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", tuples)
        return len(tuples)

    def with_stamps(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        cells = list(row)
        for i in self.moments:
            if isinstance(cells[i], datetime):
                cells[i] = self.stamp(cells[i])
        return tuple(cells)


PRODUCT_NAMES = ("sku", "name", "spec", "stock", "rx", "tcm", "reissue_sku", "updated_at")
LISTING_NAMES = ("channel_id", "sku", "title", "active", "updated_at")
AFTERSALE_NAMES = ("aftersale_no", "kind", "kind_raw", "status_raw", "erp_order_no", "online_order_no", "note",
                   "created_at_source", "updated_at")


def products_ensure(cursor: Any, *, at: datetime, seed: int) -> list[FakeProduct]:
    """The generated products and their listings on every channel, inserted where missing."""
    products = products_make(count=PRODUCT_COUNT, seed=seed)
    existing = set(Product.objects.values_list("sku", flat=True))
    TableWriter(Product, PRODUCT_NAMES).write(cursor, (
        (p.sku, p.name, p.spec, p.stock, p.rx, p.tcm, f"{p.sku}-BF", at) for p in products if p.sku not in existing
    ))
    listed = set(Listing.objects.values_list("channel_id", "sku"))
    TableWriter(Listing, LISTING_NAMES).write(cursor, (
        (channel.pk, p.sku, f"{p.name} {p.spec}", p.stock > 0, at)
        for channel in Channel.objects.all() for p in products if (channel.pk, p.sku) not in listed
    ))
    return products


def _next_id(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


@contextlib.contextmanager
def _big_cache(cursor: Any) -> Iterator[None]:
    """SQLite's default 2 MB page cache makes index inserts thrash past a few hundred thousand rows."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    cursor.execute("PRAGMA cache_size=-524288")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size={int(previous)}")


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def orders_bulk_insert(*, count: int, at: datetime, open_share: float = 0.4, seed: int = 1,
                       lines_per_order: int = 2) -> int:
    """Insert `count` orders (with `lines_per_order` lines each) spread over the seven channels; returns count.
    Order numbers carry the order's id, so that calling it again adds orders instead of colliding."""
    channels = list(Channel.objects.order_by("sort", "code"))
    with transaction.atomic(), connection.cursor() as cursor, _big_cache(cursor):
        products = products_ensure(cursor, at=at, seed=seed)
        maker = OrderMaker(rng=random.Random(seed), at=at, open_share=open_share, products=products,
                           lines_per_order=lines_per_order)
        per_channel = min(TEMPLATES_PER_CHANNEL, count // len(channels) + 1)
        templates = [[maker.template(channel) for _ in range(per_channel)] for channel in channels]
        with indexes_rebuilt(cursor, models=(Order, OrderLine), rows=count, keep_unique=False):
            _orders_write(cursor, maker=maker, templates=templates, count=count, at=at)
        _sequences_reset(cursor)
    return count


def _orders_write(cursor: Any, *, maker: OrderMaker, templates: list[list[Template]], count: int,
                  at: datetime) -> None:
    writers = (TableWriter(Order, ORDER_NAMES), TableWriter(OrderLine, LINE_NAMES),
               TableWriter(ErpAftersale, AFTERSALE_NAMES))
    order_id, line_id = _next_id(Order), _next_id(OrderLine)
    rand = maker.rng.random
    for block in _chunks(count, CHUNK):
        orders, lines, aftersales = [], [], []
        for index in block:
            channel_templates = templates[index % len(templates)]
            template = channel_templates[int(rand() * len(channel_templates))]
            row, order_lines = maker.order(template, seq=order_id, line_id=line_id)
            orders.append(row)
            lines += order_lines
            if template.returned:
                aftersales.append(_aftersale_row(row, at))
            order_id += 1
            line_id += len(order_lines)
        for writer, rows in zip(writers, (orders, lines, aftersales), strict=True):
            writer.write(cursor, rows)


NOTE, ERP_NO, ORDER_NO, SHIPPED = (ORDER_NAMES.index(name) for name in ("erp_note", "erp_order_no", "order_no",
                                                                       "shipped_at"))


def _aftersale_row(order: tuple[Any, ...], at: datetime) -> tuple[Any, ...]:
    """The ERP return whose note says the parcel is back in the warehouse."""
    number = order[NOTE].split("【")[1].rstrip("】")
    return (number, "return", "退货", "已完成", order[ERP_NO], order[ORDER_NO], order[NOTE], order[SHIPPED] or at, at)


def _sequences_reset(cursor: Any) -> None:
    """PostgreSQL sequences don't see explicit ids; SQLite's AUTOINCREMENT-free rowids need nothing."""
    from django.core.management.color import no_style

    for sql in connection.ops.sequence_reset_sql(no_style(), [Product, Listing, Order, OrderLine, ErpAftersale]):
        cursor.execute(sql)
