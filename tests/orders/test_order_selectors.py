"""order_find / order_get: by channel number or ERP number; clear refusals when none or several match."""

from __future__ import annotations

import pytest

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Order
from opsdesk.orders.selectors import order_as_json, order_find, order_get, order_list
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_order_find_accepts_the_channel_or_the_erp_number() -> None:
    order = OrderFactory(order_no="GW100", erp_order_no="XD100")
    assert order_find(order_no="GW100") == order
    assert order_find(order_no=" XD100 ") == order
    assert order_get(channel="official", order_no="GW100") == order


def test_order_find_refuses_unknown_and_ambiguous_numbers() -> None:
    OrderFactory(order_no="SAME1", channel_code="pdd")
    OrderFactory(order_no="SAME1", channel_code="suning")
    with pytest.raises(Refused, match="不唯一"):
        order_find(order_no="SAME1")
    assert order_find(order_no="SAME1", channel="pdd").channel.code == "pdd"
    with pytest.raises(Refused, match="找不到订单 NOPE"):
        order_find(order_no="NOPE")
    with pytest.raises(Refused, match="找不到订单"):
        order_get(channel="pdd", order_no="NOPE")


def test_order_list_searches_lines_and_shapes_json() -> None:
    order = OrderFactory(order_no="GW200")
    OrderLineFactory(order=order, sku="SKU-ZZ", name="藿香正气水")
    OrderFactory(order_no="GW201")
    assert [o.order_no for o in order_list(search="藿香")] == ["GW200"]
    shaped = order_as_json(Order.objects.get(order_no="GW200"))
    assert shaped["lines"][0]["sku"] == "SKU-ZZ" and shaped["channel"] == "official"


def test_a_pasted_identifier_matches_exactly_and_falls_back_to_a_substring() -> None:
    OrderFactory(order_no="GW30000", tracking_no="ZT7700001", receiver_phone="13900000300")
    OrderFactory(order_no="GW300001", tracking_no="ZT7700002", receiver_phone="13900003001")
    OrderLineFactory(order=OrderFactory(order_no="GW30002"), sku="SKU-GW30000X", name="板蓝根")
    # Exact: GW30000 is an order number, so GW300001 and the SKU containing it are not listed.
    assert [o.order_no for o in order_list(search="GW30000")] == ["GW30000"]
    assert [o.order_no for o in order_list(search="13900003001")] == ["GW300001"]
    assert [o.order_no for o in order_list(search="ZT7700002")] == ["GW300001"]
    # No exact match: a substring of numbers, phones and SKUs, one row per order however many lines match.
    assert sorted(o.order_no for o in order_list(search="ZT77000")) == ["GW30000", "GW300001"]
    assert sorted(o.order_no for o in order_list(search="GW3000")) == ["GW30000", "GW300001", "GW30002"]
    assert [o.order_no for o in order_list(search="3001", channel="official")] == ["GW300001"]


def test_a_phone_matches_a_part_only_as_pages_show_it_its_last_four_digits() -> None:
    OrderFactory(order_no="GW31000", receiver_phone="13912341073")
    assert [o.order_no for o in order_list(search="1073")] == ["GW31000"]
    assert [o.order_no for o in order_list(search="13912341073")] == ["GW31000"]
    # The masked digits cannot be found one search at a time: 139****1073 tells 4 of them, no more.
    for probe in ("41073", "341073", "2341", "139123", "1391234107"):
        assert list(order_list(search=probe)) == [], probe



def test_a_phone_on_more_orders_than_a_page_of_ids_is_still_found_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        OrderFactory(order_no=f"GW40{n}", receiver_phone="13900000400")
    OrderFactory(order_no="GW499", receiver_phone="13900000499")
    assert sorted(o.order_no for o in order_list(search="13900000400")) == ["GW400", "GW401", "GW402"]
    monkeypatch.setattr("opsdesk.orders.selectors.EXACT_LIMIT", 2)
    assert sorted(o.order_no for o in order_list(search="13900000400")) == ["GW400", "GW401", "GW402"]
    assert [o.order_no for o in order_list(search="13900000400", channel="pdd")] == []


def test_a_search_longer_than_anything_pasted_is_refused() -> None:
    OrderFactory(order_no="GW32000")
    with pytest.raises(Refused, match="搜索内容太长"):
        list(order_list(search="x" * 100_000))
    assert [o.order_no for o in order_list(search="GW32000" + " " * 300)] == ["GW32000"]  # blanks are no text


def test_a_channel_nobody_has_is_refused_not_an_empty_list() -> None:
    with pytest.raises(Refused, match="未知平台 'bogus': 可选 official, "):
        list(order_list(channel="bogus"))
