"""`POST /checklist/<code>/contacts/phones/`: a contact list's phones revealed in one action, logged per order."""

from __future__ import annotations

import pytest

from opsdesk.orders.models import OrderEvent, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

URL = "/checklist/official-cod-online/contacts/phones/"


class ContactPhonesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.orders = [
            OrderFactory(order_no=f"GW-COD-{n}", payment=Payment.COD, receiver_phone=f"1390000000{n}") for n in range(3)
        ]

    def test_it_shows_every_phone_of_the_list_and_logs_one_event_per_order(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(URL)
        for n in range(3):
            self.assertContains(response, f"1390000000{n}")
        events = OrderEvent.objects.filter(kind="phone_revealed", user=self.service)
        self.assertEqual(sorted(events.values_list("order_id", flat=True)), sorted(o.pk for o in self.orders))
        self.assertEqual(events.first().text, "查看了收货人手机号 (引导在线支付)")

    def test_the_log_never_holds_the_number(self) -> None:
        self.client.force_login(self.service)
        self.client.post(URL)
        self.assertFalse(OrderEvent.objects.filter(text__contains="13900000000").exists())

    def test_it_refuses_an_empty_list(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/checklist/official-pharmacist-wechat/contacts/phones/", follow=True)
        self.assertContains(response, "名单是空的, 没有手机号可显示")
        self.assertFalse(OrderEvent.objects.exists())

    def test_a_get_only_shows_the_masked_list(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get(URL).status_code, 405)
        self.assertContains(self.client.get("/checklist/official-cod-online/contacts/"), "139****0001")
