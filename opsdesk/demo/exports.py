"""The demo day's orders as the export files each system really produces (headers from
`opsdesk.imports.samples.SOURCE_HEADERS`, written by its `write_export`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from opsdesk.demo.day import CHANNELS, DemoDay, DemoOrder
from opsdesk.demo.fake import GONE
from opsdesk.lib import dates

STATUS_TEXT = {"unpaid": "待付款", "awaiting_shipment": "待发货", "allocating": "待发货", "shipped": "已发货",
               "delivered": "已签收", "cancelled": "已取消"}
PDD_STATUS = {**STATUS_TEXT, "shipped": "已发货,待签收", "cancelled": "交易关闭"}
# 官网: 订单状态 (the money) and 订单处理状态 (the warehouse).
OFFICIAL_STATUS = {"unpaid": ("待付款", ""), "awaiting_shipment": ("已付款", "待发货"),
                   "allocating": ("已付款", "配货中"), "shipped": ("已付款", "已发货"), "delivered": ("已完成", "已签收"),
                   "cancelled": ("已取消", "")}
PAYMENT_TEXT = {"cod": "货到付款", "platform_paid": "平台收款", "wechat": "微信支付", "alipay": "支付宝", "": ""}
AFTERSALES_TEXT = {"": "", "pending": "售后处理中", "refunding": "退款中", "refunded": "退款成功"}
PDD_AFTERSALES = {**AFTERSALES_TEXT, "": "无售后或售后取消"}
# The five channels the notes don't describe share one column order (see SOURCE_HEADERS); 315 has no 售后状态.
GENERIC_KEYS = ("order_no", "extra", "placed", "paid", "status", "ship_by", "receiver", "phone", "province", "city",
                "district", "address", "sku", "name", "spec", "qty", "price", "total", "buyer_message",
                "seller_note", "courier", "tracking_no", "aftersales")


def stamp(moment: datetime | None) -> str:
    return dates.local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _base(order: DemoOrder) -> dict[str, str]:
    """An order's facts under neutral keys; each export renames them to its own headers."""
    person = order.person
    return {
        "order_no": order.order_no, "placed": stamp(order.placed), "paid": stamp(order.paid),
        "ship_by": stamp(order.ship_by), "receiver": person["receiver_name"], "phone": person["receiver_phone"],
        "province": person["province"], "city": person["city"], "district": person["district"],
        "address": person["address"], "total": order.amount, "buyer_message": order.buyer_message,
        "seller_note": order.seller_note, "aftersales": AFTERSALES_TEXT[order.aftersales],
        "courier": order.courier if order.status in GONE else "",
        "tracking_no": order.tracking_no if order.status in GONE else "",
    }


def _per_line(order: DemoOrder, base: dict[str, str]) -> list[dict[str, str]]:
    return [
        {**base, "sku": product.sku, "name": product.name, "spec": product.spec, "qty": str(qty),
         "price": product.price, "line_no": str(number)}
        for number, (product, qty) in enumerate(order.lines, start=1)
    ]


def _renamed(rows: list[dict[str, str]], names: dict[str, str]) -> list[dict[str, str]]:
    return [{header: row.get(key, "") for key, header in names.items()} for row in rows]


def official_rows(orders: list[DemoOrder]) -> list[dict[str, str]]:
    names = dict(zip(
        ("order_no", "placed", "paid", "status", "process", "payment", "receiver", "phone", "province", "city",
         "district", "address", "sku", "name", "spec", "qty", "price", "total", "buyer_message", "seller_note",
         "courier", "tracking_no"),
        _headers("official"), strict=True,
    ))
    rows = []
    for order in orders:
        status, process = OFFICIAL_STATUS[order.status]
        if order.payment == "cod" and order.status not in ("cancelled", "delivered"):
            status = ""  # nothing is paid before delivery
        base = {**_base(order), "status": status, "process": process, "payment": PAYMENT_TEXT[order.payment]}
        rows += _per_line(order, base)
    return _renamed(rows, names)


def pdd_rows(orders: list[DemoOrder]) -> list[dict[str, str]]:
    rows = []
    for order in orders:
        product, qty = order.lines[0]
        base = _base(order)
        rows.append({
            "订单号": order.order_no, "订单状态": PDD_STATUS[order.status], "商品": product.name,
            "商品id": f"{int(product.sku[3:]) + 400000000}", "商品规格": product.spec,
            "商家编码-规格维度": product.sku, "商家编码-商品维度": product.sku, "商品数量(件)": str(qty),
            "商品总价(元)": order.amount, "邮费(元)": "0.00", "店铺优惠折扣(元)": "0.00", "平台优惠折扣(元)": "0.00",
            "用户实付金额(元)": order.amount, "商家实收金额(元)": order.amount, "订单成交时间": base["placed"],
            "支付时间": base["paid"], "承诺发货时间": base["ship_by"], "发货时间": stamp(order.shipped),
            "确认收货时间": stamp(order.delivered), "收货人": base["receiver"], "手机": base["phone"],
            "省": base["province"], "市": base["city"], "区": base["district"], "街道": base["address"],
            "商家备注": order.seller_note, "买家留言": order.buyer_message, "售后状态": PDD_AFTERSALES[order.aftersales],
            "快递单号": base["tracking_no"], "快递公司": base["courier"],
        })
    return rows


EXTRA: dict[str, Callable[[DemoOrder], str]] = {
    "pingan": lambda o: f"CF{o.order_no[-10:]}" if any(p.rx for p, _ in o.lines) else "",
    "yaofangwang": lambda o: "已审方" if o.status in GONE else "待审方",
    "suning": lambda o: "",  # filled per line below
    "jiage315": lambda o: f"示例会员{o.order_no[-4:]}",
    "xywy": lambda o: f"WZ{o.order_no[-10:]}",
}


def generic_rows(source: str, orders: list[DemoOrder]) -> list[dict[str, str]]:
    names = dict(zip(GENERIC_KEYS, _headers(source), strict=False))
    rows = []
    for order in orders:
        base = {**_base(order), "status": STATUS_TEXT[order.status], "extra": EXTRA[source](order)}
        lines = _per_line(order, base)
        if source == "suning":
            for line in lines:
                line["extra"] = line["line_no"]
        rows += lines
    return _renamed(rows, names)


def erp_rows(orders: list[DemoOrder]) -> list[dict[str, str]]:
    rows = []
    for order in orders:
        if not order.erp_order_no:
            continue
        name = CHANNELS[order.channel][0]
        base = {
            "系统单号": order.erp_order_no, "线上订单号": order.order_no, "店铺": f"{settings.SHOP_NAME}{name}",
            "平台": name, "处理状态": _erp_status(order), "是否异常": "是" if order.erp_abnormal else "否",
            "异常原因": order.erp_abnormal, "订单类型": "货到付款" if order.payment == "cod" else "普通",
            "付款时间": stamp(order.paid), "承诺发货时间": stamp(order.ship_by), "买家留言": order.buyer_message,
            "卖家备注": f"售后处理:新建售后单【{order.returned}】" if order.returned else order.seller_note,
            "快递公司": order.courier if order.status in GONE else "",
            "快递单号": order.tracking_no if order.status in GONE else "",
        }
        rows += [{**base, "商品编码": p.sku, "商品名称": p.name, "规格": p.spec, "数量": str(qty)}
                 for p, qty in order.lines]
    return rows


def _erp_status(order: DemoOrder) -> str:
    if order.status in GONE:
        return "已发货"
    if order.erp_abnormal:
        return "异常"
    return "配货中" if order.allocation else "已审核"


def erp_aftersales_rows(orders: list[DemoOrder], *, at: datetime) -> list[dict[str, str]]:
    rows = []
    for order in orders:
        if order.returned:
            rows.append({"售后单号": order.returned, "类型": "退货", "状态": "已入库", "系统单号": order.erp_order_no,
                         "线上订单号": order.order_no, "备注": f"售后处理:新建售后单【{order.returned}】",
                         "创建时间": stamp(at)})
        elif order.aftersales == "pending" and order.status in GONE:
            product = order.lines[0][0]
            rows.append({"售后单号": f"BF{order.erp_order_no[2:]}", "类型": "补发", "状态": "待审核",
                         "系统单号": order.erp_order_no, "线上订单号": order.order_no,
                         "备注": f"{CHANNELS[order.channel][0]} {order.order_no} 补发 {product.name}",
                         "创建时间": stamp(at)})
    return rows


# 拼多多's after-sales: how long each open request has left at the demo moment (hours, cycled), so that some are
# about to run out (即将超时), one already has, and the rest have time; every other one gives only 剩余处理时间.
AFTERSALE_HOURS_LEFT = (2.5, -1.5, 30.0, 4.0, 40.0)
AFTERSALE_KIND = {"pending": ("退货退款", "待商家处理"), "refunding": ("仅退款", "待商家处理"),
                  "refunded": ("仅退款", "退款成功")}


def pdd_aftersales_rows(orders: list[DemoOrder], *, at: datetime) -> list[dict[str, str]]:
    rows = []
    for n, order in enumerate(o for o in orders if o.channel == "pdd" and o.aftersales in AFTERSALE_KIND):
        kind, status = AFTERSALE_KIND[order.aftersales]
        left = timedelta(hours=AFTERSALE_HOURS_LEFT[n % len(AFTERSALE_HOURS_LEFT)])
        open_ = status != "退款成功"
        deadline = at + left if open_ else None
        by_left = n % 2 == 1 and left > timedelta(0)  # some exports give the time left, not the moment
        rows.append({
            "售后编号": f"AS{order.order_no.replace('-', '')[-14:]}", "订单编号": order.order_no,
            "商品名称": order.lines[0][0].name, "售后类型": kind, "售后状态": status,
            "申请时间": stamp(at + left - timedelta(hours=48)) if open_ else stamp(order.placed),
            "超时时间": stamp(deadline) if deadline and not by_left else "",
            "剩余处理时间": _left_text(left) if deadline and by_left else "", "退款金额(元)": order.amount,
            "申请原因": "不想要了" if kind == "仅退款" else "商品与描述不符",
        })
    return rows


def _left_text(left: timedelta) -> str:
    """剩余处理时间 as the back-end writes it: 1天6小时0分, 4小时30分."""
    hours, seconds = divmod(int(left.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时{seconds // 60}分" if days else f"{hours}小时{seconds // 60}分"


def wms_rows(orders: list[DemoOrder]) -> list[dict[str, str]]:
    rows = []
    for order in orders:
        if not order.allocation:
            continue
        moving = f"{stamp(order.logistics_at)} {order.logistics}" if order.logistics_at else ""
        rows.append({"订单编号": order.order_no, "系统单号": order.erp_order_no, "仓库": "南京仓",
                     "分配状态": order.allocation, "快递公司": order.courier, "快递单号": order.tracking_no,
                     "发货时间": stamp(order.shipped), "物流最后更新": moving})
    return rows


def stock_rows(demo: DemoDay) -> list[dict[str, str]]:
    return [{"商品编码": p.sku, "商品名称": p.name, "规格": p.spec, "可用库存": str(p.stock),
             "处方药": "是" if p.rx else "否", "中药": "是" if p.tcm else "否"} for p in demo.products]


def _headers(source: str) -> list[str]:
    from opsdesk.imports.samples import SOURCE_HEADERS

    return SOURCE_HEADERS[source]


# source → (file name, title line, total row?, csv encoding)
FILES: dict[str, tuple[str, str | None, bool, str]] = {
    "stock": ("库存_{day}.xlsx", None, False, ""),
    "official": ("官网订单导出_{day}.xlsx", "{shop}官网 订单列表 (导出时间 {at})", True, ""),
    "pdd": ("拼多多订单_{day}.csv", None, False, "utf-8-sig"),
    "pdd_aftersales": ("拼多多售后单_{day}.xlsx", "拼多多商家后台 售后列表 (导出时间 {at})", False, ""),
    "yaofangwang": ("药房网订单_{day}.xlsx", "药房网商家后台 订单导出", False, ""),
    "pingan": ("平安好医生订单_{day}.xlsx", None, False, ""),
    "suning": ("苏宁订单_{day}.csv", None, False, "gb18030"),
    "jiage315": ("315订单_{day}.csv", None, False, "utf-8"),
    "xywy": ("寻医问药订单_{day}.xlsx", None, True, ""),
    "erp": ("万里牛订单_{day}.xlsx", None, False, ""),
    "erp_aftersales": ("万里牛售后单_{day}.xlsx", None, False, ""),
    "wms": ("WMS配货_{day}.csv", None, False, "utf-8-sig"),
}


def rows_for(source: str, demo: DemoDay) -> list[dict[str, str]]:
    orders = [order for order in demo.orders if source not in CHANNELS or order.channel == source]
    if source == "stock":
        return stock_rows(demo)
    if source == "official":
        return official_rows(orders)
    if source == "pdd":
        return pdd_rows(orders)
    if source in CHANNELS:
        return generic_rows(source, orders)
    if source == "erp":
        return erp_rows(orders)
    if source == "erp_aftersales":
        return erp_aftersales_rows(orders, at=demo.moment)
    if source == "pdd_aftersales":
        return pdd_aftersales_rows(orders, at=demo.moment)
    return wms_rows(orders)


def demo_exports_write(*, demo: DemoDay, out_dir: Path) -> list[tuple[str, Path]]:
    """Every source's export of the demo day under `out_dir`, in the order they are best imported (stock first,
    so that Rx/TCM flags reach the order lines; ERP and WMS last, so that they join onto the orders)."""
    from opsdesk.imports.samples import write_export

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source, (pattern, title, total, encoding) in FILES.items():
        rows = rows_for(source, demo)
        path = out_dir / pattern.format(day=demo.day.strftime("%Y%m%d"))
        options: dict[str, Any] = {"encoding": encoding} if encoding else {}
        if title:
            options["title"] = title.format(shop=settings.SHOP_NAME, at=stamp(demo.moment))
        if total:
            options["total_row"] = _total_row(source, rows)
        write_export(path=path, source=source, rows=rows, **options)
        written.append((source, path))
    return written


def _total_row(source: str, rows: list[dict[str, str]]) -> dict[str, str]:
    first = _headers(source)[0]
    return {first: "合计", _headers(source)[15]: str(sum(int(row[_headers(source)[15]] or 0) for row in rows))}
