"""The day page in Chromium with the last routine steps counted: 加药师微信 and 引导货到付款顾客在线支付 link their counts
to their lists, 待投诉订单 counts the complaint due this afternoon, 拼多多's 即将超时的售后 the request near its
超时时间 (screenshot artifacts/day-routine-counts.png)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from opsdesk.aftersales.services import case_open
from opsdesk.lib.dates import now
from opsdesk.orders.models import ChannelAftersale, OrderStatus, Payment
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_new_counts_read_on_the_day_page(live_server, page: Page) -> None:
    user_make(role="operator")
    service = user_make(role="service")
    OrderFactory(order_no="GW-RX-1", has_rx=True)
    OrderFactory(order_no="GW-COD-1", payment=Payment.COD)
    pdd = OrderFactory(channel_code="pdd", order_no="261123-AS1", status=OrderStatus.SHIPPED)
    ChannelAftersale.objects.create(aftersale_no="AS1", channel=pdd.channel, order_no=pdd.order_no, status="seller",
                                    status_raw="待商家处理", deadline=now() + timedelta(hours=2), amount=Decimal("9.90"))
    OrderFactory(channel_code="suning", order_no="SN-C1", status=OrderStatus.SHIPPED)
    case_open(type="complaint", order_no="SN-C1", note="催发货", deadline=(now() + timedelta(hours=3)).isoformat(),
              user=service)
    login(page, live_server.url, "operator")
    for code, count in (("official-pharmacist-wechat", "1"), ("official-cod-online", "1"),
                        ("market-complaints", "1"), ("pdd-aftersale-expiring", "1")):
        expect(page.locator(f"#item-{code} a.count")).to_have_text(count)
    expect(page.locator("#item-pdd-aftersale-expiring")).to_contain_text("拼多多: 即将超时的售后")
    screenshot(page, "day-routine-counts.png")
    page.locator("#item-official-pharmacist-wechat a.count").click()
    page.wait_for_url("**/checklist/official-pharmacist-wechat/contacts/")
    expect(page.locator("body")).to_contain_text("GW-RX-1")
