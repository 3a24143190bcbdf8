"""Columns with one value on every row go into SQLite's statement once (store.constants_apart, then upsert's and
insert's `same`): what is stored is what binding the value on each row stores, quotes and percent signs too."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdesk.imports.store import CONSTANTS_FROM, constants_apart, is_postgres
from opsdesk.orders.models import Order, OrderLine
from tests.imports.helpers import import_rows, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOTE = "50% 'off' \"now\" %s ?"
MANY = CONSTANTS_FROM


def orders(**extra: str) -> list[dict[str, str]]:
    return [official_row(f"GW2611{n:06d}", **extra) for n in range(MANY)]


def test_it_takes_apart_the_columns_of_one_value_and_type() -> None:
    varied, mixed = list(range(MANY)), [1] * (MANY - 1) + [True]
    columns, cells, same = constants_apart(["a", "b", "c", "d"], [["x"] * MANY, varied, mixed, [None] * MANY])
    if is_postgres():  # COPY carries every value anyway
        assert (columns, same) == (["a", "b", "c", "d"], {})
    else:
        assert (columns, cells, same) == (["b", "c"], [varied, mixed], {"a": "x", "d": None})


def test_it_leaves_a_few_rows_as_they_are() -> None:
    assert constants_apart(["a"], [["x"] * (MANY - 1)]) == (["a"], [["x"] * (MANY - 1)], {})


def test_an_import_stores_one_value_columns_as_each_row_would(tmp_path: Path) -> None:
    result = import_rows(tmp_path, "官网订单导出.xlsx", "official", orders(买家留言=NOTE, 规格=NOTE))
    assert result.created == MANY
    assert set(Order.objects.values_list("buyer_message", "seller_note", "shipped_at", "receiver_name")) == {
        (NOTE, "", None, "张女士")}
    assert set(OrderLine.objects.values_list("spec", "qty", "line_no")) == {(NOTE, 2, 1)}


def test_a_re_import_writes_one_value_columns_onto_every_changed_order(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网订单导出.xlsx", "official", orders())
    result = import_rows(tmp_path, "官网订单导出-晚.xlsx", "official", orders(买家留言=NOTE))
    assert (result.created, result.updated) == (0, MANY)
    assert set(Order.objects.values_list("buyer_message", flat=True)) == {NOTE}
