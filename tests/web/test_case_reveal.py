"""PIPL on the case page: the receiver's phone and address show masked until someone reveals them (the copy
button does), and each reveal is logged on the order; the sends still carry the full values."""

from __future__ import annotations

import pytest

from opsdesk.aftersales.messages import case_messages
from opsdesk.aftersales.services import case_open
from opsdesk.orders.models import OrderEvent
from opsdesk.orders.services import PHONE_REVEALED
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order

pytestmark = pytest.mark.postgres

PHONE, STREET = "13900000000", "示例路1号1单元101"


class CaseRevealTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = zto_order()
        self.case = case_open(type="lost_parcel", order_no=self.order.order_no, amount="5", user=self.service)
        self.url = f"/cases/{self.case.pk}/"

    def test_the_case_page_masks_the_phone_and_the_address(self) -> None:
        for role in (self.operator, self.service, self.pharmacist, self.admin):
            self.client.force_login(role)
            page = self.client.get(self.url).content.decode()
            self.assertNotIn(PHONE, page, role.username)
            self.assertNotIn(STREET, page, role.username)
            self.assertIn("139****0000", page)
            self.assertIn("data-reveal=", page)
        self.assertFalse(OrderEvent.objects.filter(kind=PHONE_REVEALED).exists())

    def test_a_reveal_returns_the_full_texts_and_is_logged(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(f"{self.url}reveal/")
        self.assertContains(response, PHONE)
        self.assertContains(response, STREET)
        event = OrderEvent.objects.get(order=self.order, kind=PHONE_REVEALED)
        self.assertEqual(event.user, self.service)
        self.assertIn(f"售后 #{self.case.pk}", event.text)
        self.assertNotIn(PHONE, event.text)

    def test_a_reveal_is_a_post_and_needs_a_login(self) -> None:
        self.assertEqual(self.client.post(f"{self.url}reveal/").status_code, 302)
        self.client.force_login(self.service)
        self.assertEqual(self.client.get(f"{self.url}reveal/").status_code, 405)
        self.assertFalse(OrderEvent.objects.filter(kind=PHONE_REVEALED).exists())

    def test_the_messages_sent_to_the_courier_group_keep_the_full_values(self) -> None:
        texts = "\\n".join(message.text for message in case_messages(self.case))
        self.assertIn(PHONE, texts)
