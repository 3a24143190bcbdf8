"""`POST /exceptions/<rule>/clear/`: many rows of a queue cleared at once, each through the single action's service."""

from __future__ import annotations

import pytest

from opsdesk.orders.models import OrderEvent
from opsdesk.rules.models import Acknowledgement, TcmCheck
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres


class QueueClearTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.noted = [OrderFactory(order_no=f"GW-NOTE-{n}", buyer_message=f"留言 {n}") for n in range(3)]

    def test_it_acknowledges_every_selected_order_with_its_own_record(self) -> None:
        self.client.force_login(self.operator)
        picked = [order.pk for order in self.noted[:2]]
        response = self.client.post("/exceptions/buyer_note/clear/", {"orders": picked}, follow=True)
        self.assertContains(response, "已处理 2 单: GW-NOTE-0、GW-NOTE-1")
        self.assertEqual(sorted(Acknowledgement.objects.values_list("order_id", flat=True)), sorted(picked))
        self.assertEqual(OrderEvent.objects.filter(kind="ack", user=self.operator).count(), 2)
        self.assertNotContains(self.client.get("/exceptions/buyer_note/"), "GW-NOTE-1<")
        self.assertContains(self.client.get("/exceptions/buyer_note/"), "GW-NOTE-2<")

    def test_it_clears_the_one_row_whose_button_was_pressed(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/exceptions/buyer_note/clear/", {"one": self.noted[2].pk, "orders": [self.noted[0].pk]})
        self.assertEqual(list(Acknowledgement.objects.values_list("order_id", flat=True)), [self.noted[2].pk])

    def test_it_checks_tcm_specs_in_bulk(self) -> None:
        orders = [OrderFactory(order_no=f"GW-TCM-{n}", has_tcm=True) for n in range(2)]
        for order in orders:
            OrderLineFactory(order=order, line_no=1, name="黄芪", spec="500g", tcm=True)
        self.client.force_login(self.operator)
        self.client.post("/exceptions/tcm_spec/clear/", {"orders": [order.pk for order in orders]})
        self.assertEqual(TcmCheck.objects.filter(user=self.operator).count(), 2)
        self.assertContains(self.client.get("/exceptions/tcm_spec/"), "这个队列是空的")

    def test_it_reports_an_order_the_service_refuses_and_clears_the_others(self) -> None:
        plain = OrderFactory(order_no="GW-PLAIN-1")
        self.client.force_login(self.operator)
        response = self.client.post(
            "/exceptions/tcm_spec/clear/", {"orders": [plain.pk]}, follow=True
        )
        self.assertContains(response, "GW-PLAIN-1: 订单 GW-PLAIN-1 不含中药, 无需核对规格")
        self.assertFalse(TcmCheck.objects.exists())

    def test_it_refuses_a_rule_that_cannot_be_cleared_in_place(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/exceptions/rx_review/clear/", {"orders": [self.noted[0].pk]}, follow=True)
        self.assertContains(response, "不能在队列中直接处理")

    def test_it_refuses_users_without_the_permission_and_writes_nothing(self) -> None:
        self.client.force_login(self.pharmacist)
        response = self.client.post("/exceptions/buyer_note/clear/", {"orders": [self.noted[0].pk]}, follow=True)
        self.assertContains(response, "没有执行「已阅读留言/备注」的权限")
        self.assertFalse(Acknowledgement.objects.exists())

    def test_it_refuses_an_empty_or_malformed_selection(self) -> None:
        self.client.force_login(self.operator)
        self.assertContains(self.client.post("/exceptions/buyer_note/clear/", {}, follow=True), "没有选择订单")
        self.assertEqual(self.client.post("/exceptions/buyer_note/clear/", {"orders": ["x"]}).status_code, 302)

    def test_it_offers_checkboxes_and_the_button_only_to_those_who_may(self) -> None:
        self.client.force_login(self.operator)
        page = self.client.get("/exceptions/buyer_note/")
        self.assertContains(page, f'name="orders" value="{self.noted[0].pk}"')
        self.assertContains(page, "已阅读留言/备注")
        self.client.force_login(self.pharmacist)
        self.assertNotContains(self.client.get("/exceptions/buyer_note/"), 'name="orders"')

    def test_a_rows_own_button_turns_that_row_into_what_was_done_in_place(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post(
            "/exceptions/buyer_note/clear/", {"one": self.noted[1].pk}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "✓ GW-NOTE-1 · 已阅读留言/备注 · operator")
        self.assertEqual(list(Acknowledgement.objects.values_list("order_id", flat=True)), [self.noted[1].pk])

    def test_a_rows_refusal_goes_to_the_flash_box(self) -> None:
        plain = OrderFactory(order_no="GW-PLAIN-2")
        self.client.force_login(self.operator)
        response = self.client.post("/exceptions/tcm_spec/clear/", {"one": plain.pk}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response["HX-Retarget"], "#flash")
        self.assertContains(response, "不含中药", status_code=409)
