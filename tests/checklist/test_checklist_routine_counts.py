"""The last routine steps with counts: 加药师微信 and 引导货到付款顾客在线支付 count their contact lists, 待投诉订单 the
complaints near or past their deadline, 拼多多's 即将超时的售后 the requests near their 超时时间 (its own item beside
the orders'); on the day page each count links to its list, with the freshness of the data behind it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from opsdesk.aftersales.services import case_open
from opsdesk.checklist.contacts import contact_rows
from opsdesk.checklist.selectors import checklist_day
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Channel, ChannelAftersale, OrderStatus, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

DAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 9, 25, tzinfo=SHANGHAI)


def counts() -> dict[str, tuple[str | None, int | None]]:
    return {item["code"]: (item["rule"], item["count"]) for item in checklist_day(day=DAY, at=AT)["items"]}


class RoutineCountsTestCase(BaseTestCase):
    def setUp(self) -> None:
        OrderFactory(order_no="GW-RX", has_rx=True)
        OrderFactory(order_no="GW-RX-UNPAID", has_rx=True, status=OrderStatus.UNPAID)
        OrderFactory(order_no="261123-RX", has_rx=True, channel_code="pdd")  # not the 官网 list
        OrderFactory(order_no="GW-COD", payment=Payment.COD)
        OrderFactory(order_no="GW-COD-PUSHED", payment=Payment.COD, status=OrderStatus.ALLOCATING)
        pdd = OrderFactory(channel_code="pdd", order_no="261123-AS", status=OrderStatus.SHIPPED)
        for number, hours in (("AS-SOON", 3), ("AS-FAR", 30)):
            ChannelAftersale.objects.create(
                aftersale_no=number, channel=pdd.channel, order_no=pdd.order_no, status="seller",
                status_raw="待商家处理", deadline=AT + timedelta(hours=hours), amount=Decimal("9.90"))
        OrderFactory(channel_code="suning", order_no="SN-LATE", status=OrderStatus.SHIPPED)
        OrderFactory(channel_code="pingan", order_no="PA-LATER", status=OrderStatus.SHIPPED)
        case_open(type="complaint", order_no="SN-LATE", note="催退款", deadline="2026-11-23T09:00", user=self.service)
        case_open(type="complaint", order_no="PA-LATER", note="催发货", deadline="2026-11-25T09:00", user=self.service)

    def test_each_step_counts_what_it_is_about(self) -> None:
        found = counts()
        self.assertEqual(found["official-pharmacist-wechat"], ("rx_wechat", 2))
        self.assertEqual(found["official-cod-online"], ("cod_to_push", 1))
        self.assertEqual(found["market-complaints"], ("complaint_due", 1))
        self.assertEqual(found["pdd-aftersale-expiring"], ("aftersale_expiring", 1))

    def test_a_contact_steps_count_is_its_lists_length(self) -> None:
        found = counts()
        for code in ("official-pharmacist-wechat", "official-cod-online"):
            self.assertEqual(found[code][1], len(contact_rows(code=code, at=AT)), code)

    def test_the_pdd_orders_and_after_sales_are_two_items_of_the_all_day_section(self) -> None:
        items = {item["code"]: item for item in checklist_day(day=DAY, at=AT)["items"]}
        self.assertEqual(items["pdd-due-soon"]["title"], "拼多多: 即将超时的订单")
        self.assertEqual((items["pdd-aftersale-expiring"]["title"], items["pdd-aftersale-expiring"]["section"],
                          items["pdd-aftersale-expiring"]["channels"], items["pdd-aftersale-expiring"]["due"]),
                         ("拼多多: 即将超时的售后", "marketplaces", ["pdd"], None))
        codes = list(items)
        self.assertEqual(codes.index("pdd-aftersale-expiring"), codes.index("pdd-due-soon") + 1)
        self.assertEqual(Channel.objects.get(code="pdd").code, "pdd")

    @override_settings(PHARMACIST_WECHAT="syt-yaoshi-example")
    def test_the_day_page_links_the_counts_to_their_lists(self) -> None:
        self.client.force_login(self.operator)
        page = self.client.get(f"/checklist/?at={AT.isoformat()}").content.decode()
        row = page.split('id="item-official-pharmacist-wechat"', 1)[1].split("</tr>", 1)[0]
        self.assertIn('href="/checklist/official-pharmacist-wechat/contacts/">2</a>', row)
        row = page.split('id="item-pdd-aftersale-expiring"', 1)[1].split("</tr>", 1)[0]
        self.assertIn('href="/exceptions/aftersale_expiring/?channel=pdd">1</a>', row)
        self.assertIn('class="fresh', row)
