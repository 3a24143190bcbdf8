"""The 拼多多 after-sales export (商家后台 → 售后 → 导出): detected from its headers, each request stored with its
status and 超时时间 — given, or counted from 剩余处理时间 and the export time — and re-imported without duplicates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from opsdesk.imports.channel_aftersales import remaining_parse
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import ChannelAftersale
from tests.imports.helpers import import_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def aftersale_row(number: str = "AS2611230001", order_no: str = "261123-123456789012345", **extra: str) -> dict[str, str]:
    row = {
        "售后编号": number, "订单编号": order_no, "商品名称": "板蓝根颗粒", "售后类型": "仅退款", "售后状态": "待商家处理",
        "申请时间": "2026-11-23 08:10:00", "超时时间": "2026-11-24 08:10:00", "剩余处理时间": "",
        "退款金额(元)": "19.90", "申请原因": "不想要了",
    }
    return row | extra


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_it_is_detected_and_stored_with_its_deadline(tmp_path: Path) -> None:
    result = import_rows(tmp_path, "拼多多售后.xlsx", "pdd_aftersales", [aftersale_row()])
    assert (result.source, result.status, result.created, result.errors) == ("pdd_aftersales", "imported", 1, [])
    stored = ChannelAftersale.objects.get()
    assert (stored.channel.code, stored.order_no, stored.kind, stored.kind_raw) == (
        "pdd", "261123-123456789012345", "refund_only", "仅退款")
    assert (stored.status, stored.status_raw, stored.amount, stored.reason) == (
        "seller", "待商家处理", Decimal("19.90"), "不想要了")
    assert (stored.applied_at, stored.deadline) == (at("2026-11-23T08:10"), at("2026-11-24T08:10"))


def test_without_a_deadline_the_remaining_time_counts_from_the_stated_export_time(tmp_path: Path) -> None:
    rows = [aftersale_row("AS1", 超时时间="", 剩余处理时间="1天2小时30分"),
            aftersale_row("AS2", 超时时间="", 剩余处理时间="已超时")]
    result = import_rows(tmp_path, "拼多多售后_20261123_093000.csv", "pdd_aftersales", rows)
    assert result.errors == [] and result.warnings == []
    deadlines = dict(ChannelAftersale.objects.values_list("aftersale_no", "deadline"))
    assert deadlines == {"AS1": at("2026-11-24T12:00"), "AS2": at("2026-11-23T09:30")}


def test_a_remaining_time_without_an_export_time_counts_from_the_import_and_says_so(tmp_path: Path) -> None:
    result = import_rows(tmp_path, "售后.xlsx", "pdd_aftersales", [aftersale_row(超时时间="", 剩余处理时间="5小时")])
    assert [w["message"] for w in result.warnings] == ["文件没有写明导出时间: 剩余处理时间从导入时刻算起"]
    assert ChannelAftersale.objects.get().deadline is not None


@pytest.mark.parametrize("text", ["明天", "99999999天", "40000天", "367天"])
def test_a_remaining_time_that_is_no_duration_or_years_is_a_row_error(tmp_path: Path, text: str) -> None:
    result = import_rows(tmp_path, "售后.xlsx", "pdd_aftersales", [aftersale_row(超时时间="", 剩余处理时间=text)])
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "剩余处理时间")]
    assert not ChannelAftersale.objects.exists()


def test_a_later_export_moves_the_request_on_and_the_same_one_changes_nothing(tmp_path: Path) -> None:
    import_rows(tmp_path, "a.xlsx", "pdd_aftersales", [aftersale_row()])
    again = import_rows(tmp_path, "b.xlsx", "pdd_aftersales", [aftersale_row(), aftersale_row("AS2")])
    assert (again.created, again.updated) == (1, 0)
    later = import_rows(tmp_path, "c.xlsx", "pdd_aftersales", [aftersale_row(售后状态="退款成功")])
    assert (later.updated, ChannelAftersale.objects.get(aftersale_no="AS2611230001").status) == (1, "closed")


def test_an_unknown_status_is_kept_raw_with_a_warning(tmp_path: Path) -> None:
    result = import_rows(tmp_path, "a.xlsx", "pdd_aftersales", [aftersale_row(售后状态="等待神仙处理")])
    assert result.ok and "未知的值 '等待神仙处理'" in result.warnings[0]["message"]
    assert ChannelAftersale.objects.get().status == "unknown"


@pytest.mark.parametrize(("text", "hours"), [("1天2小时30分", 26.5), ("23小时", 23), ("45分钟", 0.75), ("已超时", 0),
                                             ("2天", 48)])
def test_remaining_times_read_as_the_back_end_writes_them(text: str, hours: float) -> None:
    left = remaining_parse(text)
    assert left is not None and left.total_seconds() == hours * 3600


def test_no_remaining_time_is_none() -> None:
    assert remaining_parse("--") is None and remaining_parse("") is None
