"""The 货到付款 sheet (货到付款日报), exactly as the notes do it: official-site orders placed from yesterday 00:00 to
the report day's end, processing status 配货中, payment 货到付款, with courier and tracking number from WMS.

Amounts are numbers (money formatted, so that Excel sums them); order, tracking and phone numbers stay text. A row
that must not go out as it is says why in its 备注 (非中通, 未指定快递, 无快递单号), and the total row names the person
responsible for COD (settings.COD_OWNER). An order with a prescription item and no approved review is held off the
sheet (药品网络销售监督管理办法: it must not ship), named in the warnings and in `held` until a pharmacist approves. The sheet carries full phones (the courier needs them); nothing here
logs them."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from opsdesk.core.roles import permission_require
from opsdesk.lib import dates
from opsdesk.lib.errors import Refused
from opsdesk.lib.money import yuan
from opsdesk.lib.queries import columns_of
from opsdesk.lib.sheets import Column, sheet_bytes
from opsdesk.orders.models import (
    ADDRESS_FIELDS,
    Courier,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    Product,
    courier_text,
)
from opsdesk.orders.services import orders_phone_revealed
from opsdesk.rules.models import RxReview

# The sheet's columns as the notes name them (a fixed format the courier reads, whatever the desk's language).
COLUMNS = [
    Column("订单编号", 24), Column("下单时间", 20), Column("收货人", 10), Column("手机", 14), Column("地址", 44),
    Column("商品", 44), Column("金额", 12, "money"), Column("快递公司", 12), Column("快递单号", 20), Column("备注", 24),
]
HEADERS = [column.header for column in COLUMNS]
# The 备注 marks, in the order they are listed.
# An order with no courier yet is to be given ZTO (notes: 指定中通快递), not one that went with another.
NOT_ZTO, NO_COURIER, NO_TRACKING = "非中通", "未指定快递", "无快递单号"
Cell = str | Decimal
ID_CHUNK = 900
COD_PERMISSION = "orders.export_cod_sheet"


@dataclass
class CodReport:
    path: str
    orders: int
    total_amount: Decimal
    warnings: list[str] = field(default_factory=list)
    owner: str = ""
    rows: list[CodOrder] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # order numbers held off the sheet: prescription not approved

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "orders": self.orders, "total_amount": yuan(self.total_amount),
            "warnings": list(self.warnings), "owner": self.owner, "held": list(self.held),
        }


def cod_filename(*, day: date) -> str:
    # The notes name it 上元堂官网中通货到付款年/月/日; `/` cannot be in a file name (nor in the shop's name).
    shop = settings.SHOP_NAME.replace("/", "-").replace("\\", "-")
    return f"{shop}官网中通货到付款{day.isoformat()}.xlsx"


def cod_orders(*, day: date) -> QuerySet[Order]:
    """配货中 + 货到付款 official-site orders placed from yesterday 00:00 up to the end of `day`."""
    return Order.objects.filter(
        channel__code="official",
        placed_at__gte=dates.day_start(day - timedelta(days=1)),
        placed_at__lt=dates.day_end(day),
        status=OrderStatus.ALLOCATING,
        payment=Payment.COD,
    ).order_by("placed_at", "order_no")


@dataclass(frozen=True)
class CodOrder:
    """What the sheet shows of one order. Read as plain values: building whole Order rows was most of the time."""

    order_no: str
    placed_at: datetime | None
    receiver_name: str
    receiver_phone: str
    address: str
    total_amount: Decimal | None
    courier: str
    courier_raw: str
    tracking_no: str
    goods: str = ""
    rx_unreviewed: bool = False
    # A line whose product the catalogue does not know (no SKU, or one no stock import brought): whether it is a
    # prescription drug cannot be told, so it is held like one until a product or an approval says otherwise.
    product_unknown: bool = False
    id: int = 0

    @property
    def held(self) -> bool:
        return self.rx_unreviewed or self.product_unknown

    @property
    def courier_label(self) -> str:
        return courier_text(self.courier, self.courier_raw)

    @property
    def marks(self) -> list[str]:
        """Why this row must not go out as it is (the sheet's 备注)."""
        found = [] if self.courier == Courier.ZTO else [NOT_ZTO if self.courier else NO_COURIER]
        return found + ([NO_TRACKING] if not self.tracking_no.strip() else [])


def _goods_by_order(ids: list[int]) -> dict[int, str]:
    """`name spec ×qty` of each order's lines, joined with `; `."""
    lines: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), ID_CHUNK):
        found = OrderLine.objects.filter(order_id__in=ids[start:start + ID_CHUNK]).order_by("order_id", "line_no")
        for order_id, name, spec, qty in found.values_list("order_id", "name", "spec", "qty"):
            lines[order_id].append(" ".join(part for part in (name, spec, f"×{qty}") if part))
    return {order_id: "; ".join(texts) for order_id, texts in lines.items()}


def _sheet_fields() -> list[str]:
    """What the sheet reads of an order: CodOrder's fields that are Order columns, the address as its parts."""
    return [part for name in columns_of(Order, CodOrder)
            for part in (ADDRESS_FIELDS if name == "address" else (name,))]


def cod_sheet_orders(*, day: date) -> list[CodOrder]:
    """The sheet's orders for `day`, in the order the sheet lists them (by 下单时间)."""
    rows = list(cod_orders(day=day).annotate(rx_unreviewed=_rx_unreviewed(), product_unknown=_product_unknown())
                .values("pk", *_sheet_fields(), "rx_unreviewed", "product_unknown"))
    goods = _goods_by_order([row["pk"] for row in rows])
    own = columns_of(Order, CodOrder)
    return [_cod_order(row, own, goods.get(row["pk"], "")) for row in rows]


def _cod_order(row: dict[str, Any], own: list[str], goods: str) -> CodOrder:
    values = {name: row[name] for name in own}
    values["address"] = " ".join(row[part] for part in ADDRESS_FIELDS if row[part])
    return CodOrder(**values, goods=goods, rx_unreviewed=row["rx_unreviewed"], product_unknown=row["product_unknown"])


def _rx_unreviewed() -> Any:
    """Contains a prescription item and has no approval in force (the rule rx_review's test, per order)."""
    return _unless_approved(Q(has_rx=True))


def _product_unknown() -> Any:
    """Has a line the catalogue has no product for, and no approval in force (a pharmacist's approval releases it)."""
    known = Product.objects.filter(sku=OuterRef("sku"))
    unknown = OrderLine.objects.filter(order=OuterRef("pk")).filter(Q(sku="") | ~Exists(known))
    return _unless_approved(Q(Exists(unknown)))


def _unless_approved(held: Q) -> Any:
    """`held` for an order with no pharmacist's approval in force, as a boolean the query reads."""
    approved = RxReview.objects.approved().filter(order=OuterRef("pk"))
    return ExpressionWrapper(held & ~Q(Exists(approved)), output_field=BooleanField())


def cod_row(order: CodOrder) -> list[Cell]:
    return [
        order.order_no,
        dates.local(order.placed_at).strftime("%Y-%m-%d %H:%M:%S") if order.placed_at else "",
        order.receiver_name,
        order.receiver_phone,
        order.address,
        order.goods,
        "" if order.total_amount is None else order.total_amount,
        order.courier_label,
        order.tracking_no,
        "、".join(order.marks),
    ]


def cod_warnings(orders: list[CodOrder]) -> list[str]:
    """COD goes by ZTO only; every parcel needs its tracking number; every order its amount to collect."""
    warnings: list[str] = []
    for order in orders:
        if order.courier != Courier.ZTO:
            warnings.append(f"{order.order_no}: 货到付款须走中通快递, 现为 {order.courier_label or '未指定快递'}")
        if not order.tracking_no.strip():
            warnings.append(f"{order.order_no}: 还没有快递单号 (WMS 未回传物流)")
        if order.rx_unreviewed:
            warnings.append(f"{order.order_no}: 含处方药, 尚无药师审核通过的处方, 不得按货到付款发出 (未列入表格)")
        elif order.product_unknown:
            warnings.append(f"{order.order_no}: 有商品不在商品库 (无商品编码或库存表中没有), 无法确认是否处方药, "
                            "不得按货到付款发出 (未列入表格); 请先导入库存表或由药师审核")
        if order.total_amount is None:
            warnings.append(f"{order.order_no}: 没有订单金额, 合计未计入")
    return warnings


def cod_owner() -> str:
    """Who answers for the COD sheet (settings.COD_OWNER, e.g. "王芳 025-00000000")."""
    return settings.COD_OWNER or "未指定 (OPSDESK_COD_OWNER)"


def cod_sheet_bytes(rows: list[list[Cell]], total_row: list[Cell]) -> bytes:
    return sheet_bytes(title="货到付款", columns=COLUMNS, rows=[*rows, total_row])


def cod_workbook(*, day: date, user: Any) -> tuple[str, bytes, CodReport]:
    """(file name, xlsx bytes, summary) of the sheet for `day`: what the desk offers for download."""
    permission_require(user, COD_PERMISSION, doing="生成货到付款表")
    summary = cod_summary(day=day)
    total_row: list[Cell] = ["合计", f"{summary.orders} 单", "", "", "", "", summary.total_amount, "", "",
                             f"负责人: {summary.owner}"]
    content = cod_sheet_bytes([cod_row(order) for order in summary.rows], total_row)
    # The sheet holds the receivers' full phones: who took them, and when, is on each order (PIPL).
    orders_phone_revealed(order_ids=[order.id for order in summary.rows], user=user, reason=f"货到付款表 {day}")
    return summary.path, content, summary


def cod_summary(*, day: date) -> CodReport:
    """What the sheet for `day` holds — count, total, warnings, owner and its rows — without building it (the page
    shows this before the download)."""
    found = cod_sheet_orders(day=day)
    sheet = [order for order in found if not order.held]
    total = sum((order.total_amount or Decimal("0") for order in sheet), Decimal("0"))
    return CodReport(path=cod_filename(day=day), orders=len(sheet), total_amount=total, warnings=cod_warnings(found),
                     owner=cod_owner(), rows=sheet, held=[order.order_no for order in found if order.held])


def _write_atomically(path: Path, content: bytes) -> None:
    """A temporary file renamed into place: a failure never leaves half a sheet under the real name."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".cod-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(content)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def cod_report(*, day: date, out_dir: Path, user: Any) -> CodReport:
    """Write the sheet for `day` into `out_dir` and say what is in it."""
    name, content, report = cod_workbook(day=day, user=user)
    target = Path(out_dir).absolute()
    try:
        target.mkdir(parents=True, exist_ok=True)
        _write_atomically(target / name, content)
    except OSError as exc:
        raise Refused(f"无法写入 {target / name}: {exc.strerror or exc}") from exc
    report.path = str(target / name)
    return report
