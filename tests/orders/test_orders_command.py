"""`opsdesk orders`: filters, the --json shape, masked phones in the human listing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.console import opsdesk_run
from tests.imports.helpers import export, official_row, pdd_row

ORDER_KEYS = {"channel", "order_no", "erp_order_no", "status", "status_raw", "payment", "placed_at", "paid_at",
              "ship_by", "shipped_at", "courier", "tracking_no", "allocation", "buyer_message", "seller_note", "lines"}
LINE_KEYS = {"sku", "name", "spec", "qty", "price", "rx", "tcm"}


def test_it_lists_filters_and_masks(tmp_path: Path, initialised_tmp_path: Path) -> None:
    data = initialised_tmp_path
    official = export(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW2", 订单处理状态="已发货")])
    pdd = export(tmp_path, "pdd.xlsx", "pdd", [pdd_row("261123-5", 手机="13900000005")])
    assert opsdesk_run("import", str(official), str(pdd), data_dir=data).returncode == 0
    everything = json.loads(opsdesk_run("orders", "--json", data_dir=data).stdout)
    assert {order["order_no"] for order in everything} == {"GW1", "GW2", "261123-5"}
    assert all(set(order) == ORDER_KEYS for order in everything)
    assert set(everything[0]["lines"][0]) == LINE_KEYS
    gw1 = next(order for order in everything if order["order_no"] == "GW1")
    assert gw1["placed_at"] == "2026-11-23T09:15:00+08:00" and gw1["status"] == "allocating"
    shipped = json.loads(opsdesk_run("orders", "--status", "shipped", "--json", data_dir=data).stdout)
    assert [order["order_no"] for order in shipped] == ["GW2"]
    pdd_only = json.loads(opsdesk_run("orders", "--channel", "pdd", "--json", data_dir=data).stdout)
    assert [order["order_no"] for order in pdd_only] == ["261123-5"]
    cod = json.loads(opsdesk_run("orders", "--payment", "cod", "--channel", "official", "--json", data_dir=data).stdout)
    assert {order["order_no"] for order in cod} == {"GW1", "GW2"} and {o["payment"] for o in cod} == {"cod"}
    assert opsdesk_run("orders", "--payment", "bitcoin", data_dir=data).returncode == 2
    found = json.loads(opsdesk_run("orders", "--search", "13900000005", "--json", data_dir=data).stdout)
    assert [order["order_no"] for order in found] == ["261123-5"]
    human = opsdesk_run("orders", "--channel", "pdd", data_dir=data)
    assert human.returncode == 0
    assert "139****0005" in human.stdout and "13900000005" not in human.stdout
    assert opsdesk_run("orders", "--status", "lost", data_dir=data).returncode == 2
