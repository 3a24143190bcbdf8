"""Every bad cell is a row error naming the spreadsheet row and the column; the whole file is refused and the
store stays as it was."""

from __future__ import annotations

import os
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from opsdesk.core.roles import system_user
from opsdesk.imports.samples import SOURCE_HEADERS
from opsdesk.imports.services import ImportResult, import_file
from opsdesk.orders.models import Listing, Order, OrderLine
from tests.imports.helpers import channel_row, export, import_rows, official_row, pdd_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def store() -> tuple[list[Any], ...]:
    return (list(Order.objects.order_by("id").values()), list(OrderLine.objects.order_by("id").values()),
            list(Listing.objects.order_by("id").values()))


@pytest.fixture
def stored(tmp_path: Path) -> tuple[list[Any], ...]:
    """A store with one order in it already: a refused file must leave it exactly so."""
    assert import_rows(tmp_path, "base.xlsx", "official", [official_row("GW0")]).status == "imported"
    return store()


def refused(result: ImportResult, before: tuple[list[Any], ...]) -> set[tuple[int | None, str | None]]:
    assert result.status == "rejected", result
    assert store() == before
    return {(error["row"], error["column"]) for error in result.errors}


def write_xlsx(path: Path, headers: list[str], rows: list[dict[str, Any]]) -> Path:
    """An XLSX whose cells keep their Python type: a float is a number cell, as a spreadsheet program saves it."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for column, header in enumerate(headers):
            value = row.get(header, "")
            if isinstance(value, float):
                sheet.write_number(number, column, value)
            elif value != "":
                sheet.write_string(number, column, value)
    book.close()
    return path


@pytest.mark.parametrize("number", [32611290062462700.0, 32611290062462789.0, 1e20])
def test_an_order_number_of_16_digits_or_more_in_a_number_cell_is_refused(
    tmp_path: Path, stored: Any, number: float
) -> None:
    rows = [channel_row("suning", "32611290062462789"), channel_row("suning", number)]  # type: ignore[arg-type]
    path = write_xlsx(tmp_path / "苏宁.xlsx", SOURCE_HEADERS["suning"], rows)
    result = import_file(path=path, source="suning", user=system_user())
    assert refused(result, stored) == {(3, "订单号")}
    assert "文本" in result.errors[0]["message"]


def test_the_same_digits_as_text_in_xlsx_are_an_order_number(tmp_path: Path) -> None:
    rows = [channel_row("suning", "32611290062462700"), channel_row("suning", "32611290062462789")]
    path = write_xlsx(tmp_path / "苏宁.xlsx", SOURCE_HEADERS["suning"], rows)
    assert import_file(path=path, source="suning", user=system_user()).status == "imported"
    assert set(Order.objects.values_list("order_no", flat=True)) == {"32611290062462700", "32611290062462789"}


def test_a_phone_in_a_number_cell_of_fifteen_digits_or_fewer_is_kept(tmp_path: Path) -> None:
    row = channel_row("suning", "SN1") | {"手机": 13900000002.0}
    result = import_file(path=write_xlsx(tmp_path / "s.xlsx", SOURCE_HEADERS["suning"], [row]), source="suning", user=system_user())
    assert result.status == "imported" and Order.objects.get().receiver_phone == "13900000002"


def test_a_rounded_long_number_in_csv_is_refused(tmp_path: Path, stored: Any) -> None:
    rows = [official_row("GW1"), official_row("GW2", 快递单号="753000000000123000")]
    assert refused(import_rows(tmp_path, "l.csv", "official", rows), stored) == {(3, "快递单号")}


@pytest.mark.parametrize(("header", "value"), [("订单编号", "2.61122E+20"), ("手机", "1.39E+10"),
                                               ("快递单号", "7.53E+13"), ("商品编码", "1E+5")])
def test_e_notation_in_a_number_like_column_is_refused(tmp_path: Path, stored: Any, header: str, value: str) -> None:
    rows = [official_row("GW1"), official_row("GW2", **{header: value})]
    assert refused(import_rows(tmp_path, "e.csv", "official", rows), stored) == {(3, header)}


def test_rows_of_one_order_that_disagree_are_refused(tmp_path: Path, stored: Any) -> None:
    rows = [official_row("GW1"), official_row("GW1", 订单处理状态="已发货", 收货人="李四", 商品编码="SKU-B")]
    assert refused(import_rows(tmp_path, "d.xlsx", "official", rows), stored) == {(3, "订单处理状态"), (3, "收货人")}


def test_a_disagreement_on_a_phone_or_address_is_told_masked(tmp_path: Path, stored: Any) -> None:
    """The message is shown on the desk, kept with the import and written to the inbox's report (PIPL)."""
    rows = [official_row("GW1", 手机="13911112222", 详细地址="幸福路1号2单元303"),
            official_row("GW1", 手机="13933334444", 详细地址="幸福路9号8单元808", 商品编码="SKU-B")]
    result = import_rows(tmp_path, "d.xlsx", "official", rows)
    assert refused(result, stored) == {(3, "手机"), (3, "详细地址")}
    messages = " ".join(error["message"] for error in result.errors)
    assert "139****2222" in messages and "139****4444" in messages and "幸福****" in messages
    for secret in ("13911112222", "13933334444", "1号2单元", "9号8单元"):
        assert secret not in messages


def test_a_later_row_may_leave_the_order_cells_blank(tmp_path: Path) -> None:
    rows = [official_row("GW1"), official_row("GW1", 收货人="", 手机="", 商品编码="SKU-B")]
    assert import_rows(tmp_path, "m.xlsx", "official", rows).status == "imported"
    assert Order.objects.get().lines.count() == 2


def test_the_same_order_twice_on_a_one_row_per_order_channel_is_refused(tmp_path: Path, stored: Any) -> None:
    rows = [pdd_row("261123-1"), pdd_row("261123-1", **{"商家编码-规格维度": "SKU-X"})]
    assert refused(import_rows(tmp_path, "p.csv", "pdd", rows), stored) == {(3, "商家编码-规格维度")}


def csv_text(rows: list[dict[str, str]]) -> list[str]:
    headers = SOURCE_HEADERS["official"]
    return [",".join(headers), *(",".join(row.get(h, "") for h in headers) for row in rows)]


def test_a_csv_quote_left_open_is_refused(tmp_path: Path, stored: Any) -> None:
    lines = csv_text([official_row("GW1"), official_row("GW2"), official_row("GW3")])
    lines[2] = '"' + lines[2]
    (tmp_path / "q.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The quote swallowed the rest of the row (and the next): its goods are missing too.
    assert refused(import_file(path=tmp_path / "q.csv", user=system_user()), stored) == {(3, "订单编号"), (3, "商品编码")}


def test_a_quote_that_closes_later_on_the_line_is_refused(tmp_path: Path, stored: Any) -> None:
    lines = csv_text([official_row("GW1"), official_row("GW2")])
    lines[2] = '"GW2,2026-11-23 09:15:00",' + lines[2].split(",", 3)[3]
    (tmp_path / "q.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(path=tmp_path / "q.csv", user=system_user())
    assert (3, "订单编号") in refused(result, stored)
    assert "引号不配对" in next(e["message"] for e in result.errors if e["column"] == "订单编号")


def test_a_quoted_comma_in_a_row_whose_last_fields_are_blank_is_fine(tmp_path: Path) -> None:
    path = export(tmp_path, "ok.csv", "official", [official_row("GW1", 买家留言="周末不在家, 请工作日送达")])
    result = import_file(path=path, user=system_user())
    assert result.status == "imported", result.errors


def test_a_csv_row_with_more_fields_than_the_header_is_refused(tmp_path: Path, stored: Any) -> None:
    lines = csv_text([official_row("GW1"), official_row("GW2")])
    lines[1] += ",多出来的"
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    width = len(SOURCE_HEADERS["official"])
    assert refused(import_file(path=tmp_path / "w.csv", user=system_user()), stored) == {(2, f"第 {width + 1} 列")}


@pytest.mark.parametrize(("header", "value"), [("订单编号", "GW/1"), ("订单编号", "GW\x011"), ("订单编号", "GW 1"),
                                               ("商品编码", "SKU/1"), ("商品编码", "SKU\x1b1")])
def test_a_separator_or_control_character_in_an_order_number_or_sku_is_refused(
    tmp_path: Path, stored: Any, header: str, value: str
) -> None:
    rows = [official_row("GW1"), official_row("GW2", **{header: value})]
    assert refused(import_rows(tmp_path, "c.csv", "official", rows), stored) == {(3, header)}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_control_character_in_a_tracking_number_is_refused(tmp_path: Path, stored: Any, suffix: str) -> None:
    rows = [official_row("GW1"), official_row("GW2", 快递单号="7530\x0c0001")]
    result = import_rows(tmp_path, f"c{suffix}", "official", rows)
    assert refused(result, stored) == {(3, "快递单号")}
    assert "控制字符 U+000C" in result.errors[0]["message"] and "7530" not in result.errors[0]["message"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("header", "value", "kept"), [
    ("商品名称", "感冒灵\x07颗粒", "感冒灵 颗粒"), ("商品名称", "\x1b[31m感冒灵颗粒", " [31m感冒灵颗粒"),
    ("规格", "10g\x85*9袋", "10g *9袋"), ("收货人", "张\x7f女士", "张 女士"), ("买家留言", "请\x0b尽快发货", "请 尽快发货"),
])
def test_a_control_character_in_free_text_becomes_a_space_with_a_warning(
    tmp_path: Path, header: str, value: str, kept: str, suffix: str
) -> None:
    """A bell or an escape sequence in a product name went on to the packing-list picture and the terminal; but the
    buyer or the platform wrote the text, and nobody can export it otherwise: the row is kept, cleaned."""
    rows = [official_row("GW1"), official_row("GW2", **{header: value})]
    result = import_rows(tmp_path, f"c{suffix}", "official", rows)
    assert result.status == "imported", result.errors
    [warning] = [w for w in result.warnings if w["column"] == header]
    assert (warning["row"], warning["message"]) == (3, "1 个单元格含有控制字符, 已替换为空格")
    order = Order.objects.get(order_no="GW2")
    stored_values = {"商品名称": lambda: order.lines.get().name, "规格": lambda: order.lines.get().spec,
                     "收货人": lambda: order.receiver_name, "买家留言": lambda: order.buyer_message}
    assert stored_values[header]() == kept


def test_tabs_and_line_breaks_in_free_text_are_kept(tmp_path: Path) -> None:
    rows = [official_row("GW1", 买家留言="周末不在家\n请工作日\t送达", 商品名称="感冒灵\t颗粒")]
    assert import_rows(tmp_path, "t.xlsx", "official", rows).status == "imported"
    assert Order.objects.get().buyer_message == "周末不在家\n请工作日\t送达"
    assert OrderLine.objects.get().name == "感冒灵\t颗粒"


@pytest.mark.parametrize("value", ["0001-01-01 00:00:00", "9999-12-31 23:59:59", "1999-12-31 23:59:59",
                                   "2101-01-01 00:00:00", "0001-01-01T00:00:00+14:00"])
def test_a_date_outside_2000_to_2100_is_refused(tmp_path: Path, stored: Any, value: str) -> None:
    rows = [official_row("GW1"), official_row("GW2", 支付时间=value)]
    result = import_rows(tmp_path, "t.xlsx", "official", rows)
    assert refused(result, stored) == {(3, "支付时间")}
    assert "2000-01-01" in result.errors[0]["message"]


@pytest.mark.parametrize("value", ["2026-11-23 09:30:00xyz", "2026/11/23 上午 13:05", "2026年11月23日 9点", "23/11/2026 09:30"])
def test_a_time_that_is_not_one_whole_is_refused(tmp_path: Path, stored: Any, value: str) -> None:
    """Read up to what it understood, 2026-11-23 09:30:00xyz was 09:30, and 下午 3:05 was midnight: a wrong time
    moves the ship-by time and the cut-off batch without a word."""
    rows = [official_row("GW1"), official_row("GW2", 支付时间=value)]
    assert refused(import_rows(tmp_path, "t.xlsx", "official", rows), stored) == {(3, "支付时间")}


@pytest.mark.parametrize(("value", "moment"), [
    ("2026/11/23 下午 3:05", "2026-11-23T15:05:00+08:00"), ("2026年11月23日 15时05分", "2026-11-23T15:05:00+08:00"),
    ("2026-11-23 03:05 PM", "2026-11-23T15:05:00+08:00"), ("2026-11-23 12:10 AM", "2026-11-23T00:10:00+08:00"),
    ("2026年11月23日 15时05分30秒", "2026-11-23T15:05:30+08:00"), ("2026/11/23 09:30:00.000", "2026-11-23T09:30:00+08:00"),
])
def test_times_as_people_write_them_are_read_whole(tmp_path: Path, value: str, moment: str) -> None:
    assert import_rows(tmp_path, "t.xlsx", "official", [official_row("GW1", 支付时间=value)]).status == "imported"
    assert Order.objects.get().paid_at == datetime.fromisoformat(moment)


@pytest.mark.parametrize(("header", "value"), [
    ("订单金额", "NaN"), ("订单金额", "Infinity"), ("单价", "-5.00"), ("数量", "-1"), ("订单金额", "10000000000.00"),
    ("单价", "1e400"), ("数量", "2147483648"),
])
def test_an_amount_or_quantity_that_the_column_cannot_hold_is_refused(
    tmp_path: Path, stored: Any, header: str, value: str
) -> None:
    rows = [official_row("GW1"), official_row("GW2", **{header: value})]
    assert refused(import_rows(tmp_path, "a.xlsx", "official", rows), stored) == {(3, header)}


def test_a_zip_bomb_is_a_rejected_import_with_a_message(tmp_path: Path, stored: Any) -> None:
    path = tmp_path / "官网.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" + b"a" * 60 * 1024 * 1024)
    result = import_file(path=path, user=system_user())
    assert refused(result, stored) == {(None, None)}
    assert "压缩比异常" in result.errors[0]["message"]


def test_a_row_without_goods_is_refused_and_a_count_footer_is_no_row(tmp_path: Path, stored: Any) -> None:
    """An order number alone would be an order with a line of nothing ×1; 共2条 at the end would be an order."""
    bare = dict.fromkeys(official_row("GW2"), "") | {"订单编号": "GW2"}
    rows = [official_row("GW1"), bare]
    assert refused(import_rows(tmp_path, "a.csv", "official", rows), stored) == {(3, "商品编码")}
    footer = dict.fromkeys(official_row("GW2"), "") | {"订单编号": "共 2 条"}
    assert import_rows(tmp_path, "b.csv", "official", [official_row("GW1"), official_row("GW2"), footer]).created == 2
    assert sorted(Order.objects.values_list("order_no", flat=True)) == ["GW0", "GW1", "GW2"]


def test_a_device_or_a_fifo_is_refused_unread(tmp_path: Path, stored: Any) -> None:
    """/dev/zero would be read (hashed) forever, a FIFO wait for a writer forever."""
    fifo = tmp_path / "官网.csv"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        result = import_file(path=path, user=system_user())
        assert refused(result, stored) == {(None, None)}
        assert "不是普通文件" in result.errors[0]["message"]
