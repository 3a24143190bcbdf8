"""Hypothesis over the whole import (reader, detection, validation, write): mangled cells, encodings, quoting and
bytes either give errors that name their row, leaving the store as it was, or a store equal to a fresh import of
the same file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from opsdesk.core.roles import system_user
from opsdesk.imports.models import ImportRecord
from opsdesk.imports.samples import SOURCE_HEADERS
from opsdesk.imports.services import ImportResult, import_file
from opsdesk.orders.models import Order, OrderLine
from tests.imports.helpers import export, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
cells = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.sampled_from('",\n\r\t \'/\\\x01\x1b\u3000'), max_size=4),
    st.sampled_from(["", "\t", " ' ", "2.61122E+20", "261122000000000000000", "32611290062462700", "2026-02-30 10:00:00",
                     "0001-01-01 00:00:00", "9999-12-31 23:59:59", "总计", "合计", "-3", "1e5", "NaN", "Infinity",
                     "1e400", "¥1,234.50", "99999999999.99", "2147483648", "****", "是", "2026/11/23 9:30", 'a"b',
                     '"', '","', "GW/1", "已发货", "已取消", "待付款"]),
)
BASE = "GWBASE"  # an order already stored, in no fuzzed file


def snapshot(*, without: str = "") -> list[tuple[Any, ...]]:
    """The store's orders and lines as values (ids and write times left out)."""
    skip = {"id", "order", "order_id", "created_at", "updated_at"}
    orders = [tuple(sorted((k, v) for k, v in order.items() if k not in skip))
              for order in Order.objects.exclude(order_no=without).order_by("order_no").values()]
    lines = [tuple(sorted((k, v) for k, v in line.items() if k not in skip)) + (line["order__order_no"],)
             for line in OrderLine.objects.exclude(order__order_no=without)
             .order_by("order__order_no", "line_no").values(*[f.name for f in OrderLine._meta.concrete_fields
                                                             if f.name not in skip], "order__order_no")]
    return [*orders, *lines]


def checked(path: Path) -> None:
    """Import `path` into a store holding BASE: errors name rows and change nothing; else the file's orders
    are exactly what a fresh import of the same file makes."""
    empty()  # Hypothesis runs every example in the one test's transaction
    export(path.parent, "base.csv", "official", [official_row(BASE)])
    assert import_file(path=path.parent / "base.csv", user=system_user()).status == "imported"
    before = snapshot()
    result = import_file(path=path, source="official", user=system_user())
    if result.status == "rejected":
        assert_rows_named(result)
        assert snapshot() == before
        return
    imported = snapshot(without=BASE)
    empty()
    again = import_file(path=path, source="official", user=system_user())
    assert (again.status, again.errors) == ("imported", []) or not imported
    assert snapshot() == imported


def empty() -> None:
    OrderLine.objects.all().delete()
    Order.objects.all().delete()
    ImportRecord.objects.all().delete()


def assert_rows_named(result: ImportResult) -> None:
    assert result.errors
    for error in result.errors:
        assert error["message"]
        assert isinstance(error["row"], int) and error["row"] >= 2 and error["column"], error


@FUZZ
@given(
    mangled=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(SOURCE_HEADERS["official"]), cells), max_size=6),
    suffix=st.sampled_from([".xlsx", ".csv"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]),
)
def test_mangled_cells_name_their_row_or_import_as_a_fresh_import_would(
    mangled: list[tuple[int, str, str]], suffix: str, encoding: str
) -> None:
    rows = [official_row("GWF1"), official_row("GWF1", 商品编码="SKU-A2"), official_row("GWF2")]
    for row, header, value in mangled:
        rows[row][header] = value
    assume(not any("\x00" in value for _, _, value in mangled))  # NUL never reaches a cell (see test_readers)
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = export(Path(folder), f"fuzz{suffix}", "official", rows, encoding=encoding)
        except (UnicodeEncodeError, ValueError):
            return  # a cell the encoding (or XLSX) cannot hold is not an export anyone can make
        checked(path)


@FUZZ
@given(quotes=st.lists(st.tuples(st.integers(1, 3), st.integers(0, 400), st.sampled_from(['"', ",", '""', '\n'])),
                       min_size=1, max_size=3))
@example(quotes=[(1, 0, '""'), (1, 129, '"')])  # a refused 快递公司 cell reached courier_code as None
def test_stray_quotes_and_delimiters_in_a_csv_name_their_row_or_import_as_a_fresh_import_would(
    quotes: list[tuple[int, int, str]],
) -> None:
    headers = SOURCE_HEADERS["official"]
    rows = [official_row("GWF1"), official_row("GWF1", 商品编码="SKU-A2"), official_row("GWF2")]
    lines = [",".join(headers), *(",".join(row.get(h, "") for h in headers) for row in rows)]
    for line, at, mark in quotes:
        lines[line] = lines[line][:at] + mark + lines[line][at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "quotes.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        checked(path)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".txt"]))
def test_arbitrary_bytes_never_crash_and_write_nothing(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"junk{suffix}"
        path.write_bytes(data)
        result = import_file(path=path, user=system_user())
    assert result.status == "rejected"
    assert result.errors[0]["message"]
    assert not Order.objects.exists()
