"""Real-format export files for tests, benchmarks and the demo: every source's canonical headers and one writer.

The headers of the seven channels, the ERP, the WMS and the stock sheet follow interface.md; the five channels the
notes do not describe use the same vocabulary plus one column of their own (so that detection can tell them apart).
Only made-up data belongs in these files."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

SOURCE_HEADERS: dict[str, list[str]] = {
    "official": [
        "订单编号", "下单时间", "支付时间", "订单状态", "订单处理状态", "订单支付方式", "收货人", "手机", "省份", "城市",
        "区县", "详细地址", "商品编码", "商品名称", "规格", "数量", "单价", "订单金额", "买家留言", "客户备注",
        "快递公司", "快递单号",
    ],
    "pdd": [
        "订单号", "订单状态", "商品", "商品id", "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度",
        "商品数量(件)", "商品总价(元)", "邮费(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "用户实付金额(元)",
        "商家实收金额(元)", "订单成交时间", "支付时间", "承诺发货时间", "发货时间", "确认收货时间", "收货人", "手机",
        "省", "市", "区", "街道", "商家备注", "买家留言", "售后状态", "快递单号", "快递公司",
    ],
    "pingan": [
        "订单号", "处方单号", "下单时间", "支付时间", "订单状态", "承诺发货时间", "收货人", "手机", "省", "市", "区",
        "地址", "商品编码", "商品名称", "规格", "数量", "单价", "实付金额", "买家留言", "卖家备注", "快递公司",
        "快递单号", "售后状态",
    ],
    "yaofangwang": [
        "订单编号", "审方状态", "下单时间", "付款时间", "订单状态", "承诺发货时间", "收货人", "手机", "省份", "城市",
        "区县", "地址", "商品编码", "商品名称", "规格", "数量", "单价", "订单金额", "买家留言", "卖家备注", "快递公司",
        "快递单号", "售后状态",
    ],
    "suning": [
        "订单号", "订单行号", "下单时间", "支付时间", "订单状态", "承诺发货时间", "收货人", "手机", "省", "市", "区",
        "地址", "商品编码", "商品名称", "规格", "数量", "单价", "实付金额", "买家留言", "卖家备注", "快递公司",
        "快递单号", "售后状态",
    ],
    "jiage315": [
        "订单编号", "会员账号", "下单时间", "付款时间", "订单状态", "承诺发货时间", "收货人", "手机", "省", "市", "区",
        "地址", "商品编码", "商品名称", "规格", "数量", "单价", "订单金额", "买家留言", "卖家备注", "快递公司",
        "快递单号",
    ],
    "xywy": [
        "订单号", "问诊单号", "下单时间", "支付时间", "订单状态", "承诺发货时间", "收货人", "手机", "省", "市", "区",
        "地址", "商品编码", "商品名称", "规格", "数量", "单价", "订单金额", "买家留言", "卖家备注", "快递公司",
        "快递单号", "售后状态",
    ],
    "erp": [
        "系统单号", "线上订单号", "店铺", "平台", "处理状态", "是否异常", "异常原因", "订单类型", "付款时间",
        "承诺发货时间", "买家留言", "卖家备注", "快递公司", "快递单号", "商品编码", "商品名称", "规格", "数量",
    ],
    "erp_aftersales": ["售后单号", "类型", "状态", "系统单号", "线上订单号", "备注", "创建时间"],
    "wms": ["订单编号", "系统单号", "仓库", "分配状态", "快递公司", "快递单号", "发货时间", "物流最后更新"],
    "stock": ["商品编码", "商品名称", "规格", "可用库存", "处方药", "中药"],
    "pdd_aftersales": ["售后编号", "订单编号", "商品名称", "售后类型", "售后状态", "申请时间", "超时时间", "剩余处理时间",
                       "退款金额(元)", "申请原因"],
}


def _table(
    headers: list[str], rows: list[dict[str, str]], title: str | None, total_row: dict[str, str] | None
) -> list[list[str]]:
    table: list[list[str]] = [[title]] if title else []
    table.append(list(headers))
    table += [[str(row.get(name, "")) for name in headers] for row in rows]
    if total_row:
        table.append([str(total_row.get(name, "")) for name in headers])
    return table


def _write_xlsx(path: Path, table: list[list[str]]) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Sheet1")
    for r, cells in enumerate(table):
        for c, value in enumerate(cells):
            if value != "":
                sheet.write_string(r, c, value)
    book.close()


def write_export(
    *,
    path: Path,
    source: str,
    rows: list[dict[str, str]],
    title: str | None = None,
    total_row: dict[str, str] | None = None,
    encoding: str = "utf-8-sig",
    headers: list[str] | None = None,
) -> Path:
    """Write `rows` (dicts keyed by header; missing keys blank) as `source`'s export; the suffix picks the format.

    `headers` overrides the canonical header list (e.g. a 拼多多 export without receiver columns)."""
    path = Path(path)
    table = _table(headers or SOURCE_HEADERS[source], rows, title, total_row)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx(path, table)
    elif suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(table)
    else:
        raise ValueError(f"write_export: unsupported suffix {path.suffix!r} (use .xlsx or .csv)")
    return path
