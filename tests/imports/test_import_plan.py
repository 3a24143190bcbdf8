"""The re-import plan (made on the Arrow columns): each order's hash is the one its records carry, so an unchanged
order is recognised whatever reader made the table; a re-import validates and writes only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdesk.imports.fields import Problems, Rows
from opsdesk.imports.profiles import layout_find, profiles_load
from opsdesk.imports.readers import read_table
from opsdesk.imports.records import _groups, digest, order_plan, salt
from opsdesk.orders.models import Channel, Order, OrderLine
from tests.imports.helpers import export, import_rows, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def rows_of(path: Path) -> Rows:
    table = read_table(path)
    layout = layout_find(table, profiles_load(), source=None, file_name=path.name)
    return Rows(table, layout, Problems(), stored_in=(Order, OrderLine))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_plan_hashes_each_order_as_its_rows_fingerprints_say(tmp_path: Path, suffix: str) -> None:
    lines = [official_row("GW1", 商品编码="A"), official_row("GW2"), official_row("GW1", 商品编码="B", 数量="3"),
             official_row("", 商品编码="C"), official_row("GW3", 买家留言="a\x1fb")]
    rows = rows_of(export(tmp_path, f"官网{suffix}", "official", lines, total_row={"订单编号": "合计"}))
    plan = order_plan(rows, promise_hours=24)
    prints, base = rows.fingerprints(), salt(rows, 24)
    groups = _groups(rows.text("order_no"))
    assert plan.keys == ["GW1", "GW2", "GW3"] == list(groups)
    assert plan.hashes == [digest(base, *(prints[i] for i in group)) for group in groups.values()]
    assert len(rows) == 5  # the total row is no data; the row without an order number is (an error)


def test_a_re_import_validates_only_the_orders_it_changes(tmp_path: Path) -> None:
    orders = [official_row(f"GW{n}", 手机=f"1390000000{n}") for n in range(5)]
    assert import_rows(tmp_path, "官网.xlsx", "official", orders).created == 5
    orders[3] = official_row("GW3", 手机="13900000009", 快递单号="7530001", 快递公司="中通快递")
    rows = rows_of(export(tmp_path, "官网-晚.xlsx", "official", orders))
    plan = order_plan(rows, promise_hours=Channel.objects.get(code="official").ship_promise_hours)
    stored = dict(Order.objects.values_list("order_no", "content_hash"))
    assert plan.changed(stored) == ([3], ["GW0", "GW1", "GW2", "GW4"])
    result = import_rows(tmp_path, "官网-晚.xlsx", "official", orders)
    assert (result.created, result.updated) == (0, 1)
    assert Order.objects.get(order_no="GW3").tracking_no == "7530001"
