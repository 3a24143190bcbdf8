"""Facts never move backwards: an older export imported after a newer one leaves the orders as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.orders.models import ErpOrder, Order, WmsRecord
from tests.imports.helpers import erp_row, export, import_rows, official_row, wms_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SHIPPED = {"订单处理状态": "已发货", "快递公司": "中通快递", "快递单号": "75300000000009", "买家留言": "新的留言"}


def test_an_older_export_after_a_newer_one_leaves_the_shipped_order_as_it_is(tmp_path: Path) -> None:
    import_rows(tmp_path, "新.xlsx", "official", [official_row("GW1", **SHIPPED), official_row("GW2")])
    older = import_rows(tmp_path, "旧.xlsx", "official", [official_row("GW1"), official_row("GW2", 收货人="李四")])
    order = Order.objects.get(order_no="GW1")
    assert (order.status, order.tracking_no, order.buyer_message) == ("shipped", "75300000000009", "新的留言")
    assert Order.objects.get(order_no="GW2").receiver_name == "李四"  # not backwards: updated
    assert (older.status, older.updated) == ("imported", 1)
    warning = next(w for w in older.warnings if "GW1" in w["message"])
    assert warning["row"] == 2 and "1 个订单" in warning["message"]


def test_an_export_time_older_than_the_stored_one_leaves_the_order_as_it_is(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网_20261123_1030.xlsx", "official", [official_row("GW1", 收货人="新名字")])
    older = import_rows(tmp_path, "o.xlsx", "official", [official_row("GW1", 收货人="旧名字"), official_row("GW3")],
                        title="订单导出 2026-11-23 09:00:00")
    assert Order.objects.get(order_no="GW1").receiver_name == "新名字"
    assert (older.created, older.updated) == (1, 0)
    assert "导出时间早于" in older.warnings[0]["message"] and "GW1" in older.warnings[0]["message"]
    newer = import_rows(tmp_path, "n.xlsx", "official", [official_row("GW1", 收货人="更新的名字")],
                        title="订单导出 2026-11-23 11:00")
    assert (newer.updated, newer.warnings) == (1, [])
    assert Order.objects.get(order_no="GW1").receiver_name == "更新的名字"


def test_an_unchanged_order_takes_the_newer_export_time(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "official", [official_row("GW1")], title="导出 2026-11-23 08:00")
    import_rows(tmp_path, "b.xlsx", "official", [official_row("GW1")], title="导出 2026-11-23 10:00")
    older = import_rows(tmp_path, "c.xlsx", "official", [official_row("GW1", 收货人="旧")], title="导出 2026-11-23 09:00")
    assert older.updated == 0 and Order.objects.get().receiver_name == "张女士"


def test_cancelled_comes_from_any_state_and_stays(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "official", [official_row("GW1", **SHIPPED)])
    import_rows(tmp_path, "b.xlsx", "official", [official_row("GW1", 订单状态="已取消", 订单处理状态="")])
    assert Order.objects.get().status == "cancelled"
    again = import_rows(tmp_path, "c.xlsx", "official", [official_row("GW1", 订单处理状态="待发货")])
    assert Order.objects.get().status == "cancelled" and again.warnings


def test_a_file_without_tracking_or_status_blanks_neither(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "official", [official_row("GW1", 发货时间="", **SHIPPED)])
    headers = ["订单编号", "收货人", "商品编码", "数量"]
    result = import_rows(tmp_path, "b.csv", "official", [{"订单编号": "GW1", "收货人": "改名", "商品编码": "SKU-A",
                                                          "数量": "1"}], headers=headers, detect=False)
    assert result.updated == 1, result
    order = Order.objects.get()
    assert (order.receiver_name, order.status, order.courier, order.tracking_no) == (
        "改名", "shipped", "zto", "75300000000009")


def test_the_warning_is_in_the_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_rows(tmp_path, "新.xlsx", "official", [official_row("GW1", **SHIPPED)])
    path = export(tmp_path, "旧.xlsx", "official", [official_row("GW1")])
    call_command("import_files", str(path), "--json")
    result = json.loads(capsys.readouterr().out)[0]
    assert "GW1" in result["warnings"][0]["message"] and result["warnings"][0]["row"] == 2


def test_a_newer_unchanged_export_then_an_older_changed_one_warns_and_leaves_the_order(tmp_path: Path) -> None:
    # Four orders stored, one in the later files: the plan looks it up by number (a file of few of the channel's
    # orders), as a day's export against a big store does.
    orders = [official_row(f"GW{n}") for n in range(1, 5)]
    import_rows(tmp_path, "a.xlsx", "official", orders, title="导出 2026-11-23 08:00")
    again = import_rows(tmp_path, "b.xlsx", "official", [official_row("GW1")], title="导出 2026-11-23 10:00")
    assert (again.status, again.created, again.updated) == ("unchanged", 0, 0)
    exported = dict(Order.objects.values_list("order_no", "exported_at"))
    assert exported["GW1"] > exported["GW2"] == exported["GW4"]
    older = import_rows(tmp_path, "c.xlsx", "official", [official_row("GW1", 收货人="旧"), official_row("GW2", 收货人="新")],
                        title="导出 2026-11-23 09:00")
    assert (older.updated, Order.objects.get(order_no="GW1").receiver_name) == (1, "张女士")
    assert Order.objects.get(order_no="GW2").receiver_name == "新"
    assert "导出时间早于" in older.warnings[0]["message"] and "GW1" in older.warnings[0]["message"]


def test_an_unchanged_order_keeps_a_newer_export_time_and_is_not_rewritten(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "official", [official_row("GW1"), official_row("GW2")], title="导出 2026-11-23 10:00")
    stored = dict(Order.objects.values_list("order_no", "exported_at"))
    with CaptureQueriesContext(connection) as queries:
        import_rows(tmp_path, "b.xlsx", "official", [official_row("GW1"), official_row("GW2", 收货人="李四")],
                    title="导出 2026-11-23 08:00")
    assert dict(Order.objects.values_list("order_no", "exported_at")) == stored
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE orders_order SET exported_at")]


UNSHIPPED_WMS = {"分配状态": "未分配", "快递公司": "", "快递单号": "", "发货时间": "", "物流最后更新": ""}


def test_an_older_wms_export_moves_no_allocation_back_and_blanks_no_tracking(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW2")])
    import_rows(tmp_path, "新.xlsx", "wms", [wms_row("GW1", "XD1"), wms_row("GW2", "XD2", 分配状态="部分分配")])
    older = import_rows(tmp_path, "旧.xlsx", "wms", [wms_row("GW1", "XD1", 仓库="南京仓", **UNSHIPPED_WMS),
                                                     wms_row("GW2", "XD2", 分配状态="分配完成")])
    record = WmsRecord.objects.get(order_no="GW1")
    assert (record.allocation, record.allocation_raw, record.tracking_no, record.warehouse) == (
        "complete", "分配完成", "75300000000001", "南京仓")
    assert record.shipped_at is not None and record.last_update == "已揽收"
    order = Order.objects.get(order_no="GW1")
    assert (order.allocation, order.tracking_no, order.courier) == ("complete", "75300000000001", "zto")
    assert order.shipped_at is not None
    assert Order.objects.get(order_no="GW2").allocation == "complete"  # forward: taken
    assert (older.status, older.updated) == ("imported", 2)
    [warning] = older.warnings
    assert "1 个订单的WMS分配状态会倒退" in warning["message"] and "GW1" in warning["message"]
    assert "GW2" not in warning["message"]


def test_an_unknown_allocation_is_no_step_back(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "wms", [wms_row("GW1", "XD1")])
    result = import_rows(tmp_path, "b.xlsx", "wms", [wms_row("GW1", "XD1", 分配状态="拦截中")])
    record = WmsRecord.objects.get()
    assert (record.allocation, record.allocation_raw) == ("unknown", "拦截中")
    assert [w["column"] for w in result.warnings] == ["分配状态"]  # the unknown word, not a step back


def test_an_older_erp_export_keeps_the_return_mark_and_the_tracking_number(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    marked = {"卖家备注": "售后处理:新建售后单【AS1】", "快递公司": "中通快递", "快递单号": "75300000000002"}
    import_rows(tmp_path, "新.xlsx", "erp", [erp_row("XD1", "GW1", **marked)])
    older = import_rows(tmp_path, "旧.xlsx", "erp", [erp_row("XD1", "GW1", 处理状态="待审核", 卖家备注="", 快递单号="")])
    erp = ErpOrder.objects.get()
    assert (erp.status_raw, erp.seller_note, erp.tracking_no) == ("待审核", marked["卖家备注"], "75300000000002")
    order = Order.objects.get()
    assert (order.erp_note, order.tracking_no) == (marked["卖家备注"], "75300000000002")
    assert "1 个万里牛订单的卖家备注会丢失" in older.warnings[0]["message"] and "XD1" in older.warnings[0]["message"]


def test_a_new_erp_note_without_a_mark_replaces_one_without_it(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "erp", [erp_row("XD1", "GW1", 卖家备注="周一发")])
    result = import_rows(tmp_path, "b.xlsx", "erp", [erp_row("XD1", "GW1", 卖家备注="")])
    assert (ErpOrder.objects.get().seller_note, result.warnings) == ("", [])


def test_an_older_dated_wms_export_leaves_the_record_as_it_is(tmp_path: Path) -> None:
    import_rows(tmp_path, "WMS_20261123_1030.xlsx", "wms", [wms_row("GW1", "XD1", 分配状态="缺货")])
    older = import_rows(tmp_path, "WMS_20261123_0900.xlsx", "wms", [wms_row("GW1", "XD1", 分配状态="部分分配", 仓库="旧仓"),
                                                                    wms_row("GW2", "XD2")])
    assert (older.created, older.updated) == (1, 0)
    record = WmsRecord.objects.get(order_no="GW1")
    assert (record.allocation, record.warehouse) == ("short", "杭州仓")
    assert "1 个订单的导出时间早于" in older.warnings[0]["message"] and "GW1" in older.warnings[0]["message"]
    newer = import_rows(tmp_path, "WMS_20261123_1100.xlsx", "wms", [wms_row("GW1", "XD1", 分配状态="部分分配")])
    assert (newer.updated, newer.warnings, WmsRecord.objects.get(order_no="GW1").allocation) == (1, [], "partial")


def test_an_unchanged_erp_order_takes_the_newer_export_time(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "erp", [erp_row("XD1", "GW1")], title="订单导出 2026-11-23 08:00")
    import_rows(tmp_path, "b.xlsx", "erp", [erp_row("XD1", "GW1")], title="订单导出 2026-11-23 10:00")
    older = import_rows(tmp_path, "c.xlsx", "erp", [erp_row("XD1", "GW1", 是否异常="是", 异常原因="地址不详")],
                        title="订单导出 2026-11-23 09:00")
    assert (older.updated, ErpOrder.objects.get().abnormal) == (0, False)
    assert "导出时间早于" in older.warnings[0]["message"] and "XD1" in older.warnings[0]["message"]


def test_a_stated_time_in_the_future_is_no_export_time(tmp_path: Path) -> None:
    ahead = import_rows(tmp_path, "WMS_20991231_1000.xlsx", "wms", [wms_row("GW1", "XD1", 分配状态="缺货")])
    assert "2099-12-31 10:00 晚于现在, 不作为导出时间" in ahead.warnings[0]["message"]
    assert WmsRecord.objects.get().exported_at is None
    later = import_rows(tmp_path, "WMS_20261123_1100.xlsx", "wms", [wms_row("GW1", "XD1", 仓库="南京仓")])
    assert (later.updated, later.warnings, WmsRecord.objects.get().warehouse) == (1, [], "南京仓")


def test_a_date_without_a_time_is_no_export_time(tmp_path: Path) -> None:
    import_rows(tmp_path, "WMS_20261123_1030.xlsx", "wms", [wms_row("GW1", "XD1", 仓库="杭州仓")])
    day = import_rows(tmp_path, "WMS配货_20261123.xlsx", "wms", [wms_row("GW1", "XD1", 仓库="南京仓")])
    assert (day.updated, day.warnings, WmsRecord.objects.get().warehouse) == (1, [], "南京仓")


def test_an_export_time_stored_ahead_of_now_is_cleared_by_the_migration(tmp_path: Path) -> None:
    import importlib
    from datetime import timedelta

    from django.apps import apps
    from django.utils import timezone

    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    import_rows(tmp_path, "wms.xlsx", "wms", [wms_row("GW1", "XD1")])
    import_rows(tmp_path, "erp.xlsx", "erp", [erp_row("XD1", "GW1")])
    ahead, soon = timezone.now() + timedelta(days=400), timezone.now() + timedelta(minutes=5)
    for model in (Order, WmsRecord, ErpOrder):
        model.objects.update(exported_at=ahead)  # as a mistyped 2027 file name left them before the rule
    WmsRecord.objects.update(exported_at=soon)  # within the slack: kept
    importlib.import_module("opsdesk.orders.migrations.0023_future_export_times_cleared").clear(apps, None)
    assert (Order.objects.get().exported_at, ErpOrder.objects.get().exported_at) == (None, None)
    assert WmsRecord.objects.get().exported_at == soon
