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
