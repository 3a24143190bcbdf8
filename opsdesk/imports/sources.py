"""One class per kind of source behind one protocol — read rows → records → write — chosen by a registry (the
way paperless-ngx registers its parsers). A profile (data an admin can add, e.g. `jd`) names its kind; the kind
says where its fields are stored, how rows become records and how records are written.

`records_write` is the public entry for a reader that is no file (the 万里牛 OPEN API pull): records of kind K
go through the same writer as K's file import."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.db import connection, transaction
from django.db.models import Model

from opsdesk.imports import signals
from opsdesk.imports.channel_aftersales import channel_aftersale_records
from opsdesk.imports.fields import Problems, Rows
from opsdesk.imports.models import ImportRecord, SourceKind
from opsdesk.imports.profiles import Profile
from opsdesk.imports.readers import heap_release
from opsdesk.imports.records import (
    OrderBatch,
    Record,
    channel_records,
    erp_aftersale_records,
    erp_records,
    order_plan,
    stock_records,
    wms_records,
)
from opsdesk.imports.store import tune
from opsdesk.imports.writers import (
    Written,
    channel_aftersales_write,
    erp_aftersales_write,
    erp_write,
    orders_write,
    stock_write,
    stored_orders,
    wms_write,
)
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import (
    Channel,
    ChannelAftersale,
    ErpAftersale,
    ErpOrder,
    Order,
    OrderLine,
    Product,
    WmsRecord,
)

REGISTRY: dict[str, type[Source]] = {}


def register[S: type[Source]](cls: S) -> S:
    REGISTRY[cls.kind] = cls
    return cls


def source_for(profile: Profile) -> Source:
    if profile.kind not in REGISTRY:
        raise Refused(f"导入格式 {profile.name} 的类型 {profile.kind!r} 未知 (可用: {', '.join(sorted(REGISTRY))})")
    return REGISTRY[profile.kind](profile)


def records_write(*, kind: str, records: Any, user: Any = None, problems: Problems | None = None) -> Written:
    """Write records of `kind` (as its reader made them) in one transaction, with what follows a write."""
    source = REGISTRY[kind](None)
    written = write_atomic(source, records, user=user)
    source.after(written, records=records, problems=problems or Problems(), user=user)
    return written


def write_atomic(source: Source, records: Any, *, user: Any) -> Written:
    """The source's write in one transaction, with what other apps must do inside it: an approval of Rx lines never
    outlives them (rules.recheck), whichever import changed them."""
    with transaction.atomic(), connection.cursor() as cursor:
        tune(cursor)
        written = source.write(cursor, records)
        if written.lines_replaced:
            signals.order_lines_replaced.send(sender=ImportRecord, order_ids=written.lines_replaced, user=user)
        if written.became_rx:
            signals.products_became_rx.send(sender=ImportRecord, skus=written.became_rx, user=user)
    return written


class Source:
    """The protocol every kind follows (like paperless-ngx's DocumentParser): one instance per import."""

    kind: ClassVar[str]
    # Where the kind keeps its fields (the first model holds the key's own record): types and sizes come from it.
    stored_in: ClassVar[tuple[type[Model], ...]]

    def __init__(self, profile: Profile | None) -> None:
        self.profile = profile
        self.stated_at: datetime | None = None  # the export time the file states, as records() was given it

    def records(self, rows: Rows, *, stated_at: datetime | None) -> Any:
        """The validated rows as this kind's records (row errors go to rows.problems)."""
        raise NotImplementedError

    def write(self, cursor: Any, records: Any) -> Written:
        """Write the records inside the caller's transaction."""
        raise NotImplementedError

    def after(self, written: Written, *, records: Any, problems: Problems, user: Any) -> None:
        """What follows a committed write (signals, warnings); nothing by default."""
        return None


STALE_TEXT = {"status": "个订单的状态会倒退 (文件比已导入的旧), 保持不变",
              "export": "个订单的导出时间早于已导入的数据, 保持不变",
              "allocation": "个订单的WMS分配状态会倒退 (文件比已导入的旧), 分配状态保持不变",
              "return_mark": "个万里牛订单的卖家备注会丢失已有的 新建售后单【…】 (文件比已导入的旧), 卖家备注保持不变"}
STALE_LISTED = 20


def stale_warn(problems: Problems, stale: dict[int, str], *, keys: list[str], rows: list[int] | None = None) -> None:
    """One warning per reason, naming the records left as they were (the first 20) at the first one's row."""
    for reason, text in STALE_TEXT.items():
        held = [n for n, why in stale.items() if why == reason]
        if held:
            numbers = "、".join(keys[n] for n in held[:STALE_LISTED])
            more = " …" if len(held) > STALE_LISTED else ""
            problems.warn(rows[held[0]] if rows else None, None, f"{len(held)} {text}: {numbers}{more}")


def _records_stale_warn(written: Written, records: list[Record], problems: Problems) -> None:
    stale_warn(problems, written.stale, keys=[record.key for record in records])


@register
class ChannelOrders(Source):
    kind = SourceKind.CHANNEL
    stored_in = (Order, OrderLine)

    def __init__(self, profile: Profile | None) -> None:
        super().__init__(profile)
        self.channel = Channel.objects.filter(code=profile.channel_code).first() if profile else None
        if profile and self.channel is None:
            raise Refused(f"导入格式 {profile.name} 对应的平台 {profile.channel_code!r} 不存在")

    def records(self, rows: Rows, *, stated_at: datetime | None) -> OrderBatch:
        """Only the orders not stored as they are get validated and become records (a re-import with 1 % changed
        costs little more than its read)."""
        assert self.channel is not None
        hours = self.channel.ship_promise_hours
        plan = order_plan(rows, promise_hours=hours)
        heap_release()
        stored = stored_orders(channel_id=self.channel.pk, keys=plan.keys, exported_at=stated_at)
        split = plan.changed(stored.hashes)
        if split is None:
            batch = channel_records(rows, promise_hours=hours, plan=plan)
        else:
            batch = channel_records(rows.subset(split[0]), promise_hours=hours)
            batch.behind = [stored.behind[key] for key in split[1] if key in stored.behind]
        batch.exported_at = stated_at
        return batch

    def write(self, cursor: Any, records: OrderBatch) -> Written:
        assert self.channel is not None
        return orders_write(cursor, channel_id=self.channel.pk, batch=records)

    def after(self, written: Written, *, records: OrderBatch, problems: Problems, user: Any) -> None:
        """Orders left as they were (an older file) are named in a warning."""
        stale_warn(problems, written.stale, keys=records.keys, rows=records.first_rows)


@register
class ErpOrders(Source):
    kind = SourceKind.ERP
    stored_in = (ErpOrder,)

    def records(self, rows: Rows, *, stated_at: datetime | None) -> list[Record]:
        self.stated_at = stated_at
        return erp_records(rows)

    def write(self, cursor: Any, records: list[Record]) -> Written:
        return erp_write(cursor, records=records, stated_at=self.stated_at)

    def after(self, written: Written, *, records: list[Record], problems: Problems, user: Any) -> None:
        _records_stale_warn(written, records, problems)


@register
class ErpAftersales(Source):
    kind = SourceKind.ERP_AFTERSALES
    stored_in = (ErpAftersale,)

    def records(self, rows: Rows, *, stated_at: datetime | None) -> list[Record]:
        return erp_aftersale_records(rows)

    def write(self, cursor: Any, records: list[Record]) -> Written:
        return erp_aftersales_write(cursor, records=records)

    def after(self, written: Written, *, records: Any, problems: Problems, user: Any) -> None:
        if written.created or written.updated:
            signals.erp_aftersales_imported.send(sender=ImportRecord, user=user)


@register
class Wms(Source):
    kind = SourceKind.WMS
    stored_in = (WmsRecord,)

    def records(self, rows: Rows, *, stated_at: datetime | None) -> list[Record]:
        self.stated_at = stated_at
        return wms_records(rows)

    def write(self, cursor: Any, records: list[Record]) -> Written:
        return wms_write(cursor, records=records, stated_at=self.stated_at)

    def after(self, written: Written, *, records: list[Record], problems: Problems, user: Any) -> None:
        _records_stale_warn(written, records, problems)


@register
class Stock(Source):
    kind = SourceKind.STOCK
    stored_in = (Product,)
    flag_columns = False  # does the sheet say which products are Rx / TCM?

    def records(self, rows: Rows, *, stated_at: datetime | None) -> list[Record]:
        self.flag_columns = rows.has("rx") or rows.has("tcm")
        return stock_records(rows)

    def write(self, cursor: Any, records: list[Record]) -> Written:
        return stock_write(cursor, records=records, flag_columns=self.flag_columns)

    def after(self, written: Written, *, records: Any, problems: Problems, user: Any) -> None:
        if written.restocked or written.depleted:
            signals.stock_changed.send(sender=ImportRecord, restocked=written.restocked, depleted=written.depleted,
                                       user=user)


@register
class ChannelAftersales(Source):
    """A channel's own after-sales export (拼多多 售后): each request with its 超时时间, for aftersale_expiring."""

    kind = SourceKind.CHANNEL_AFTERSALES
    stored_in = (ChannelAftersale,)

    def __init__(self, profile: Profile | None) -> None:
        super().__init__(profile)
        code = profile.channel_code if profile else ""
        self.channel_id = Channel.objects.filter(code=code).values_list("pk", flat=True).first()
        if profile and self.channel_id is None:
            raise Refused(f"导入格式 {profile.name} 对应的平台 {code!r} 不存在")

    def records(self, rows: Rows, *, stated_at: datetime | None) -> list[Record]:
        assert self.channel_id is not None
        return channel_aftersale_records(rows, channel_id=self.channel_id, stated_at=stated_at)

    def write(self, cursor: Any, records: list[Record]) -> Written:
        return channel_aftersales_write(cursor, records=records)
