"""Made-up export rows for every source (example names and phones only) and a helper to import them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlwt

from opsdesk.core.roles import system_user
from opsdesk.imports.samples import write_export
from opsdesk.imports.services import ImportResult, import_file


def official_row(order_no: str = "GW2611230001", **extra: str) -> dict[str, str]:
    row = {
        "订单编号": order_no, "下单时间": "2026-11-23 09:15:00", "支付时间": "2026-11-23 09:16:30",
        "订单状态": "已付款", "订单处理状态": "配货中", "订单支付方式": "货到付款", "收货人": "张女士",
        "手机": "13900000000", "省份": "浙江省", "城市": "杭州市", "区县": "西湖区", "详细地址": "示例路1号",
        "商品编码": "SKU-A", "商品名称": "感冒灵颗粒", "规格": "10g*9袋", "数量": "2", "单价": "25.50",
        "订单金额": "76.00", "买家留言": "", "客户备注": "", "快递公司": "", "快递单号": "",
    }
    return row | extra


def pdd_row(order_no: str = "261123-123456789012345", **extra: str) -> dict[str, str]:
    row = {
        "订单号": order_no, "订单状态": "待发货", "商品": "板蓝根颗粒", "商品id": "900001", "商品规格": "10g*20袋",
        "商家编码-规格维度": "SKU-B", "商品数量(件)": "1", "商品总价(元)": "19.90", "用户实付金额(元)": "19.90",
        "订单成交时间": "2026-11-23 10:00:00", "支付时间": "2026-11-23 10:00:05",
        "承诺发货时间": "2026-11-25 10:00:05", "收货人": "李先生", "手机": "13900000001", "省": "江苏省",
        "市": "南京市", "区": "江宁区", "街道": "示例街道2号", "售后状态": "无售后或售后取消",
    }
    return row | extra


def channel_row(source: str, order_no: str, **extra: str) -> dict[str, str]:
    """A row for the five channels the notes do not describe (same vocabulary)."""
    values = {
        "订单号": order_no, "订单编号": order_no, "下单时间": "2026-11-23 11:00:00", "支付时间": "2026-11-23 11:01:00",
        "付款时间": "2026-11-23 11:01:00", "订单状态": "待发货", "承诺发货时间": "2026-11-24 11:01:00",
        "收货人": "王女士", "手机": "13900000002", "省": "广东省", "市": "深圳市", "区": "南山区", "省份": "广东省",
        "城市": "深圳市", "区县": "南山区", "地址": "示例大道3号", "商品编码": "SKU-C", "商品名称": "维生素C片",
        "规格": "100片", "数量": "1", "单价": "12.00", "订单金额": "12.00", "实付金额": "12.00",
    }
    return values | extra


def erp_row(erp_order_no: str, online_order_no: str, **extra: str) -> dict[str, str]:
    row = {
        "系统单号": erp_order_no, "线上订单号": online_order_no, "店铺": "上元堂官网", "平台": "官网",
        "处理状态": "已审核", "是否异常": "否", "异常原因": "", "订单类型": "普通", "付款时间": "2026-11-23 09:16:30",
        "卖家备注": "", "商品编码": "SKU-A", "商品名称": "感冒灵颗粒", "规格": "10g*9袋", "数量": "2",
    }
    return row | extra


def wms_row(order_no: str, erp_order_no: str, **extra: str) -> dict[str, str]:
    row = {
        "订单编号": order_no, "系统单号": erp_order_no, "仓库": "杭州仓", "分配状态": "分配完成", "快递公司": "中通快递",
        "快递单号": "75300000000001", "发货时间": "2026-11-23 16:00:00", "物流最后更新": "已揽收",
    }
    return row | extra


def stock_row(sku: str, stock: str, rx: str = "否", tcm: str = "否") -> dict[str, str]:
    return {"商品编码": sku, "商品名称": f"示例商品{sku}", "规格": "1盒", "可用库存": stock, "处方药": rx, "中药": tcm}


def export(folder: Path, name: str, source: str, rows: list[dict[str, str]], **options: Any) -> Path:
    return write_export(path=folder / name, source=source, rows=rows, **options)


def import_rows(
    folder: Path, name: str, source: str, rows: list[dict[str, str]], *, detect: bool = True, **options: Any
) -> ImportResult:
    """Write an export and import it (the source detected from its headers unless detect=False)."""
    path = export(folder, name, source, rows, **options)
    return import_file(path=path, source=None if detect else source, user=system_user())


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    """An export in the older Excel format (.xls, BIFF8), which nothing in the product writes."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("导出")
    for row_no, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write(row_no, column, value)
    book.save(str(path))
    return path
