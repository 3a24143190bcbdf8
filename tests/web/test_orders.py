from __future__ import annotations

import pytest

from opsdesk.orders.models import Channel, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres


class OrderSearchTestCase(BaseTestCase):
    def setUp(self) -> None:
        OrderFactory(order_no="GW2611230001", receiver_name="李四", receiver_phone="13912345678",
                     erp_order_no="XD2611230001", tracking_no="75312345678")
        OrderFactory(channel_code="pdd", order_no="261123-000000000000001", receiver_phone="13800001111")

    def test_phones_are_masked_in_the_list(self) -> None:
        self.client.force_login(self.service)
        response = self.client.get("/orders/")
        self.assertContains(response, "139****5678")
        self.assertContains(response, "138****1111")
        self.assertNotContains(response, "13912345678")

    def test_it_finds_by_order_erp_tracking_name_and_phone(self) -> None:
        self.client.force_login(self.operator)
        for text in ("GW2611230001", "XD2611230001", "75312345678", "李四", "13912345678"):
            response = self.client.get("/orders/", {"q": text})
            self.assertContains(response, "/orders/official/GW2611230001/", msg_prefix=text)
            self.assertNotContains(response, "261123-000000000000001", msg_prefix=text)

    def test_it_filters_by_channel(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/orders/", {"channel": "pdd"})
        self.assertContains(response, "261123-000000000000001")
        self.assertNotContains(response, "GW2611230001")
        self.assertContains(response, '<option value="pdd" selected>')
        self.assertContains(self.client.get("/orders/", {"channel": "official"}), '<option value="official" selected>')

    def test_it_filters_by_payment_as_the_json_names_it(self) -> None:
        OrderFactory(order_no="GW2611230099", payment=Payment.COD)
        self.client.force_login(self.operator)
        response = self.client.get("/orders/", {"payment": "cod"})
        self.assertContains(response, "GW2611230099")
        self.assertNotContains(response, "GW2611230001")
        self.assertContains(response, '<option value="cod" selected>货到付款</option>', html=False)
        self.assertContains(self.client.get("/orders/", {"payment": "platform_paid"}), "GW2611230001")

    def test_a_channel_renamed_in_the_admin_shows_at_once_in_the_filter(self) -> None:
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/orders/"), ">拼多多</option>")
        Channel.objects.filter(code="pdd").update(name="拼多多商城")
        self.assertContains(self.client.get("/orders/"), ">拼多多商城</option>")
