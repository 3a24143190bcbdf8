from __future__ import annotations

from datetime import datetime

import pytest
from django.db.models import Count

from opsdesk.demo.bulk import orders_bulk_insert
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Channel, ErpAftersale, Order, OrderLine, Product

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

AT = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)


def test_it_inserts_the_orders_and_lines_on_every_channel() -> None:
    assert orders_bulk_insert(count=2100, at=AT, lines_per_order=2) == 2100
    assert Order.objects.count() == 2100
    assert OrderLine.objects.count() == 4200
    per_channel = dict(Order.objects.values_list("channel__code").annotate(n=Count("id")))
    assert set(per_channel) == set(Channel.objects.values_list("code", flat=True))
    assert set(per_channel.values()) == {300}


def test_it_gives_every_rule_some_work() -> None:
    orders_bulk_insert(count=2100, at=AT, open_share=0.4)
    open_orders = Order.objects.filter(status__in=["awaiting_shipment", "allocating"])
    assert 0.3 < open_orders.count() / 2100 < 0.5
    assert open_orders.filter(ship_by__lt=AT).exists() and open_orders.filter(ship_by__gt=AT).exists()
    assert set(Order.objects.values_list("status", flat=True)) >= {
        "unpaid", "awaiting_shipment", "allocating", "shipped", "delivered", "cancelled"}
    assert Order.objects.filter(payment="cod", courier="sto").exists()
    assert Order.objects.filter(channel__code="official", payment="cod", status="allocating").exists()
    assert Order.objects.filter(courier="zto").count() > Order.objects.filter(courier="sto").count() > 0
    assert set(Order.objects.values_list("allocation", flat=True)) >= {"", "complete", "partial", "none", "short"}
    assert Order.objects.filter(status="unpaid", has_rx=True).exists()
    assert open_orders.filter(has_tcm=True).exists() and open_orders.exclude(buyer_message="").exists()
    assert Order.objects.filter(erp_abnormal=True).exclude(erp_abnormal_reason="").exists()
    assert Order.objects.filter(aftersales="pending").exists()
    returned = Order.objects.filter(erp_note__startswith="售后处理:新建售后单【").exclude(aftersales="refunded")
    assert returned.exists()
    assert ErpAftersale.objects.filter(online_order_no__in=returned.values("order_no")).count() == returned.count()
    assert Product.objects.filter(stock=0).exists() and Product.objects.filter(rx=True, tcm=False).exists()
    assert Order.objects.filter(channel__code="official", order_no__startswith="GW").count() == 300


def test_it_can_run_again_without_colliding() -> None:
    orders_bulk_insert(count=70, at=AT)
    orders_bulk_insert(count=70, at=AT, seed=2)
    assert Order.objects.count() == 140
    assert Product.objects.count() == 320
    assert Order.objects.create(channel=Channel.objects.get(code="pdd"), order_no="x").pk > 140


def test_made_up_people_only() -> None:
    orders_bulk_insert(count=140, at=AT)
    phones = set(Order.objects.values_list("receiver_phone", flat=True))
    assert all(phone.startswith("139000") and len(phone) == 11 for phone in phones)
    assert all("示例路" in address for address in Order.objects.values_list("address", flat=True))
