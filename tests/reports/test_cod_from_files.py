"""The 货到付款 sheet end to end: a generated official-site export and a WMS file, imported, then the sheet."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from opsdesk.core.roles import system_user
from opsdesk.imports.samples import write_export
from opsdesk.imports.services import import_file
from opsdesk.reports.cod import cod_report
from opsdesk.test import BaseTestCase
from tests.factories import ProductFactory

pytestmark = pytest.mark.postgres


def official_row(order_no: str, placed: str, process: str, payment: str, **extra: str) -> dict[str, str]:
    return {
        "订单编号": order_no, "下单时间": placed, "支付时间": "", "订单状态": "已付款", "订单处理状态": process,
        "订单支付方式": payment, "收货人": "王女士", "手机": "13800001111", "省份": "山东省", "城市": "青岛市",
        "区县": "李沧区", "详细地址": "示例路1号1单元101", "商品编码": "SKU001", "商品名称": "感冒灵颗粒",
        "规格": "10g*9袋", "数量": "1", "单价": "30.00", "订单金额": "30.00", **extra,
    }


OFFICIAL_ROWS = [
    official_row("GW2611220001", "2026-11-22 00:00:00", "配货中", "货到付款", 订单金额="120.00", 数量="2"),
    official_row("GW2611220001", "2026-11-22 00:00:00", "配货中", "货到付款", 订单金额="120.00",
                 商品编码="SKU002", 商品名称="=板蓝根颗粒", 规格="10g*20袋", 数量="3", 单价="20.00"),
    official_row("GW2611230002", "2026-11-23 23:59:59", "配货中", "货到付款", 订单金额="88.00"),
    official_row("GW2611230003", "2026-11-23 10:00:00", "配货中", "货到付款", 订单金额="45.50"),
    official_row("GW2611210004", "2026-11-21 23:59:59", "配货中", "货到付款"),
    official_row("GW2611240005", "2026-11-24 00:00:00", "配货中", "货到付款"),
    official_row("GW2611230006", "2026-11-23 09:00:00", "待发货", "货到付款"),
    official_row("GW2611230007", "2026-11-23 09:00:00", "配货中", "平台收款"),
]
WMS_ROWS = [
    {"订单编号": "GW2611220001", "系统单号": "XD2611220001", "仓库": "南京仓", "分配状态": "分配完成",
     "快递公司": "中通快递", "快递单号": "75000000000001"},
    {"订单编号": "GW2611230002", "系统单号": "XD2611230002", "仓库": "南京仓", "分配状态": "分配完成",
     "快递公司": "申通快递", "快递单号": "77000000000002"},
    {"订单编号": "GW2611230003", "系统单号": "XD2611230003", "仓库": "南京仓", "分配状态": "未分配"},
]


class CodFromFilesTestCase(BaseTestCase):
    def test_the_sheet_from_an_imported_export_and_wms_file(self) -> None:
        work = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cod-files-")))
        for sku in ("SKU001", "SKU002"):  # the stock import's products: neither is Rx
            ProductFactory(sku=sku)
        official = write_export(path=work / "官网订单.xlsx", source="official", rows=OFFICIAL_ROWS, title="订单导出")
        wms = write_export(path=work / "wms.csv", source="wms", rows=WMS_ROWS, encoding="gb18030")
        for path in (official, wms):
            result = import_file(path=path, user=system_user())
            self.assertEqual(result.status, "imported", result.errors)

        report = cod_report(day=date(2026, 11, 23), out_dir=work / "out", user=system_user()).as_json()
        rows = CalamineWorkbook.from_path(report["path"]).get_sheet_by_index(0).to_python()

        self.assertEqual([row[0] for row in rows[1:-1]], ["GW2611220001", "GW2611230003", "GW2611230002"])
        first = rows[1]
        self.assertEqual(first[1:4], ["2026-11-22 00:00:00", "王女士", "13800001111"])
        self.assertEqual(first[5], "感冒灵颗粒 10g*9袋 ×2; =板蓝根颗粒 10g*20袋 ×3")
        self.assertEqual(first[6:], [120.0, "中通快递", "75000000000001", ""])
        self.assertEqual(rows[3][7:], ["申通快递", "77000000000002", "非中通"])
        self.assertEqual(rows[2][9], "未指定快递、无快递单号")  # no courier yet either
        self.assertEqual(rows[2][8], "")
        self.assertEqual(rows[-1][:2], ["合计", "3 单"])
        self.assertEqual((report["orders"], report["total_amount"]), (3, "253.50"))
        self.assertEqual(rows[-1][6], 253.5)
        warnings = report["warnings"]
        self.assertTrue(any("GW2611230002" in text and "申通" in text for text in warnings))
        self.assertTrue(any("GW2611230003" in text and "快递单号" in text for text in warnings))
        self.assertFalse(any("GW2611220001" in text for text in warnings))
