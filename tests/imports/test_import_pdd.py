"""拼多多 exports: masked or missing receivers, blank 成交时间, no 承诺发货时间, after-sales, mangled numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from opsdesk.imports.samples import SOURCE_HEADERS
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Order
from tests.imports.helpers import import_rows, pdd_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_it_imports_masked_receivers_and_a_bare_tab_phone(tmp_path: Path) -> None:
    rows = [pdd_row("261123-100000000000001", 收货人="****", 手机="****", 街道="****"),
            pdd_row("261123-100000000000002", 手机="\t")]
    result = import_rows(tmp_path, "pdd.csv", "pdd", rows, encoding="gb18030")
    assert (result.status, result.source, result.created) == ("imported", "pdd", 2), result.errors
    masked = Order.objects.get(order_no="261123-100000000000001")
    assert (masked.receiver_name, masked.receiver_phone, masked.address) == ("****", "****", "****")
    assert Order.objects.get(order_no="261123-100000000000002").receiver_phone == ""
    assert masked.payment == "platform_paid" and masked.status == "awaiting_shipment"


def test_blank_deal_time_takes_the_date_from_the_order_number(tmp_path: Path) -> None:
    rows = [pdd_row("261120-100000000000003", 订单成交时间="", 支付时间="", 承诺发货时间="")]
    result = import_rows(tmp_path, "pdd.xlsx", "pdd", rows)
    assert result.status == "imported"
    order = Order.objects.get()
    assert order.placed_at == datetime(2026, 11, 20, tzinfo=SHANGHAI)
    assert order.ship_by == order.placed_at + timedelta(hours=48)  # the channel's promise
    assert [(w["row"], w["column"]) for w in result.warnings] == [(2, "订单成交时间")]


def test_an_export_without_receiver_or_promise_columns_still_imports(tmp_path: Path) -> None:
    dropped = {"收货人", "手机", "省", "市", "区", "街道", "承诺发货时间"}
    headers = [h for h in SOURCE_HEADERS["pdd"] if h not in dropped] + ["多多支付立减金额(元)", "是否分期"]
    result = import_rows(tmp_path, "pdd.xlsx", "pdd", [pdd_row()], headers=headers)
    assert result.status == "imported", result.errors
    order = Order.objects.get()
    assert order.receiver_name == ""
    assert order.ship_by == datetime(2026, 11, 23, 10, 0, 5, tzinfo=SHANGHAI) + timedelta(hours=48)
    assert result.warnings == []


def test_aftersales_states_are_normalised(tmp_path: Path) -> None:
    rows = [pdd_row("261123-1", 售后状态="退款中"), pdd_row("261123-2", 售后状态="退款成功"),
            pdd_row("261123-3", 售后状态="售后处理中"), pdd_row("261123-4", 订单状态="已发货，待收货")]
    assert import_rows(tmp_path, "pdd.xlsx", "pdd", rows).status == "imported"
    found = dict(Order.objects.values_list("order_no", "aftersales"))
    assert found == {"261123-1": "refunding", "261123-2": "refunded", "261123-3": "pending", "261123-4": ""}
    assert Order.objects.get(order_no="261123-4").status == "shipped"


def test_an_order_number_turned_into_a_float_is_a_row_error(tmp_path: Path) -> None:
    rows = [pdd_row(), pdd_row("2.61122E+20")]
    result = import_rows(tmp_path, "pdd.csv", "pdd", rows, encoding="utf-8")
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "订单号")]
    assert "数字" in result.errors[0]["message"]
    assert not Order.objects.exists()


def test_an_order_without_any_time_or_a_date_in_its_number_is_a_row_error(tmp_path: Path) -> None:
    """Without a time it would never be due, overdue or in a day's batch: the queues would never see it."""
    rows = [pdd_row("261123-900000000000001", 订单成交时间=""),
            pdd_row("269999-900000000000004", 订单成交时间="", 支付时间="", 承诺发货时间="")]
    result = import_rows(tmp_path, "p.xlsx", "pdd", rows)
    assert result.status == "rejected"
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "订单成交时间", "成交时间为空, 订单号 269999-900000000000004 中也没有日期")]
    assert not Order.objects.exists()
