"""The other sources: the five further channels, ERP, ERP after-sales, WMS and stock, and how they join."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsdesk.imports.models import ImportProfile
from opsdesk.imports.signals import stock_changed
from opsdesk.orders.models import ErpAftersale, ErpOrder, Listing, Order, OrderLine, Product, WmsRecord
from tests.imports.helpers import (
    channel_row,
    erp_row,
    import_rows,
    official_row,
    stock_row,
    wms_row,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.mark.parametrize("source", ["pingan", "yaofangwang", "suning", "jiage315", "xywy"])
def test_each_channel_is_detected_from_its_headers(tmp_path: Path, source: str) -> None:
    result = import_rows(tmp_path, f"{source}.xlsx", source, [channel_row(source, f"{source.upper()}001")],
                         title=f"{source} 订单")
    assert (result.status, result.source, result.created) == ("imported", source, 1), result.errors
    order = Order.objects.get()
    assert (order.channel.code, order.status, order.receiver_name) == (source, "awaiting_shipment", "王女士")
    assert order.lines.get().sku == "SKU-C"


def test_erp_facts_join_whichever_file_comes_first(tmp_path: Path) -> None:
    head = {"是否异常": "是", "异常原因": "地址不全", "订单类型": "货到付款", "卖家备注": "售后处理:新建售后单【AS001】"}
    erp = [erp_row("XD2611230001", "GW1", **head), erp_row("XD2611230001", "GW1", **head, 商品编码="SKU-A2"),
           erp_row("XD2611230002", "GW2")]
    erp_result = import_rows(tmp_path, "erp.xlsx", "erp", erp, title="万里牛订单")
    assert (erp_result.status, erp_result.created) == ("imported", 2)
    rows = [official_row("GW1", 订单支付方式="平台收款"), official_row("GW2")]
    assert import_rows(tmp_path, "官网.xlsx", "official", rows).status == "imported"
    order = Order.objects.get(order_no="GW1")
    assert (order.erp_order_no, order.erp_abnormal, order.erp_abnormal_reason) == ("XD2611230001", True, "地址不全")
    assert (order.erp_order_type, order.payment) == ("货到付款", "cod")
    assert order.erp_note == "售后处理:新建售后单【AS001】"
    later = [erp_row("XD2611230002", "GW2", 处理状态="已发货")]
    assert import_rows(tmp_path, "erp2.csv", "erp", later).updated == 1
    assert Order.objects.get(order_no="GW2").erp_status_raw == "已发货"


def test_wms_rows_join_onto_the_order_by_its_number(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW2")])
    rows = [wms_row("GW1", "XD1"), wms_row("GW2", "XD2", 分配状态="缺货", 快递公司="申通快递", 快递单号="",
                                           发货时间="")]
    result = import_rows(tmp_path, "wms.csv", "wms", rows, encoding="gb18030", title="WMS 导出")
    assert (result.status, result.created) == ("imported", 2), result.errors
    shipped = Order.objects.get(order_no="GW1")
    assert (shipped.erp_order_no, shipped.allocation, shipped.courier, shipped.tracking_no) == (
        "XD1", "complete", "zto", "75300000000001")
    assert shipped.shipped_at is not None and shipped.warehouse == "杭州仓"
    short = Order.objects.get(order_no="GW2")
    assert (short.allocation, short.allocation_raw, short.courier) == ("short", "缺货", "sto")
    # a later channel export with blank courier cells keeps what the WMS said
    import_rows(tmp_path, "官网2.xlsx", "official", [official_row("GW1", 订单处理状态="已发货")])
    assert Order.objects.get(order_no="GW1").tracking_no == "75300000000001"
    assert WmsRecord.objects.count() == 2


def test_erp_aftersales_link_by_either_number(tmp_path: Path) -> None:
    import_rows(tmp_path, "erp.xlsx", "erp", [erp_row("XD1", "GW1")])
    rows = [{"售后单号": "AS1", "类型": "退货", "状态": "已完成", "系统单号": "XD1", "线上订单号": "", "备注": "退回",
             "创建时间": "2026-11-23 12:00:00"},
            {"售后单号": "AS2", "类型": "补发", "线上订单号": "GW9"}, {"售后单号": "AS3", "类型": "奇怪"}]
    result = import_rows(tmp_path, "售后.xlsx", "erp_aftersales", rows)
    assert (result.status, result.created) == ("imported", 3), result.errors
    first = ErpAftersale.objects.get(aftersale_no="AS1")
    assert (first.kind, first.online_order_no, first.erp_order_no) == ("return", "GW1", "XD1")
    assert ErpAftersale.objects.get(aftersale_no="AS2").kind == "reissue"
    assert ErpAftersale.objects.get(aftersale_no="AS3").kind == "other"
    assert [w["column"] for w in result.warnings] == ["类型"]


def test_stock_import_updates_products_flags_and_signals(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    Product.objects.create(sku="SKU-OLD", stock=0)
    received: list[dict[str, Any]] = []

    def listener(**kwargs: Any) -> None:
        received.append(kwargs)

    stock_changed.connect(listener)
    try:
        rows = [stock_row("SKU-A", "0", rx="是", tcm="是"), stock_row("SKU-OLD", "5"), stock_row("SKU-NEW", "3")]
        result = import_rows(tmp_path, "库存.csv", "stock", rows, encoding="gb18030")
    finally:
        stock_changed.disconnect(listener)
    assert (result.status, result.created, result.updated) == ("imported", 2, 1), result.errors
    assert Product.objects.get(sku="SKU-A").rx is True
    assert OrderLine.objects.get(sku="SKU-A").rx is True
    order = Order.objects.get(order_no="GW1")
    assert (order.has_rx, order.has_tcm) == (True, True)
    assert received and received[0]["restocked"] == ["SKU-OLD"] and received[0]["depleted"] == ["SKU-A"]
    # channel imports take line flags from known products
    import_rows(tmp_path, "官网2.xlsx", "official", [official_row("GW2")])
    assert Order.objects.get(order_no="GW2").has_rx is True


def test_profiles_are_data_an_admin_extends(tmp_path: Path) -> None:
    profile = ImportProfile.objects.get(source="official")
    profile.headers = {**profile.headers, "订单号码": "order_no"}
    profile.status_map = {**profile.status_map, "出库中": "allocating"}
    profile.save()
    row = official_row("GW7", 订单处理状态="出库中")
    row["订单号码"] = row.pop("订单编号")
    headers = ["订单号码" if h == "订单编号" else h for h in list(official_row())]
    result = import_rows(tmp_path, "x.xlsx", "official", [row], headers=headers)
    assert result.status == "imported", result.errors
    assert Order.objects.get(order_no="GW7").status == "allocating"
    assert Listing.objects.filter(channel__code="official", sku="SKU-A").exists()
    assert ErpOrder.objects.count() == 0
