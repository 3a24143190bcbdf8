"""`/checklist/<code>/contacts/`: the customer contact steps' lists of orders, each with its ready text."""

from __future__ import annotations

import pytest
from django.test import override_settings

from opsdesk.orders.models import OrderEvent, OrderStatus, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

WECHAT = "/checklist/official-pharmacist-wechat/contacts/"
COD = "/checklist/official-cod-online/contacts/"


class ContactListTestCase(BaseTestCase):
    def setUp(self) -> None:
        rx = OrderFactory(order_no="GW-RX-1", has_rx=True, receiver_phone="13812345678")
        OrderLineFactory(order=rx, line_no=1, name="阿莫西林胶囊", rx=True)
        OrderLineFactory(order=rx, line_no=2, name="健胃消食片", rx=False)
        OrderFactory(order_no="GW-RX-UNPAID", has_rx=True, status=OrderStatus.UNPAID)
        OrderFactory(order_no="261123-RX-PDD", has_rx=True, channel_code="pdd")
        cod = OrderFactory(order_no="GW-COD-1", payment=Payment.COD)
        OrderLineFactory(order=cod, line_no=1, name="板蓝根颗粒")
        OrderFactory(order_no="GW-COD-PUSHED", payment=Payment.COD, status=OrderStatus.ALLOCATING)

    @override_settings(PHARMACIST_WECHAT="syt-pharmacist-example", PHARMACIST_PHONE="025-00000001")
    def test_it_lists_official_rx_orders_with_the_pharmacists_wechat_in_the_text(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(WECHAT)
        self.assertEqual([row["order"].order_no for row in response.context["rows"]], ["GW-RX-1", "GW-RX-UNPAID"])
        self.assertContains(response, "请添加药师微信 syt-pharmacist-example (电话 025-00000001), 发送处方照片")
        self.assertContains(response, "您的订单 GW-RX-1 含处方药 (阿莫西林胶囊), 按规定")  # not the 健胃消食片
        self.assertContains(response, 'data-copy="text-')

    def test_it_lists_cod_orders_not_yet_pushed_with_the_online_payment_text(self) -> None:
        self.client.force_login(self.service)
        response = self.client.get(COD)
        self.assertEqual([row["order"].order_no for row in response.context["rows"]], ["GW-COD-1"])
        self.assertContains(response, "您的订单 GW-COD-1 (板蓝根颗粒) 选择了货到付款。改用在线支付")

    def test_it_masks_the_phones_and_logs_nothing(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(WECHAT)
        self.assertContains(response, "138****5678")
        self.assertNotContains(response, "13812345678")
        self.assertFalse(OrderEvent.objects.exists())

    @override_settings(PHARMACIST_WECHAT="", PHARMACIST_PHONE="")
    def test_it_warns_when_the_pharmacist_is_not_configured(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(WECHAT)
        self.assertContains(response, "还没有配置药师微信或电话")
        self.assertContains(response, "【药师微信未配置: OPSDESK_PHARMACIST_WECHAT】")

    def test_the_checklist_links_the_two_steps_to_their_lists(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/checklist/")
        self.assertContains(response, f'href="{WECHAT}"')
        self.assertContains(response, f'href="{COD}"')

    def test_it_is_404_for_an_item_without_a_list(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get("/checklist/erp-abnormal/contacts/").status_code, 404)
