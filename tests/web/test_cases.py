from __future__ import annotations

import pytest

from opsdesk.aftersales.models import Case
from opsdesk.orders.models import Courier, OrderStatus
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

HTMX = {"HTTP_HX_REQUEST": "true"}


class CasesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(
            order_no="GW-SHIPPED-1", status=OrderStatus.SHIPPED, courier=Courier.ZTO, courier_raw="中通快递",
            tracking_no="73100000000001", receiver_phone="13600001234",
        )
        OrderLineFactory(order=self.order, line_no=1)

    def _open(self, case_type: str, **fields: str) -> Case:
        response = self.client.post(f"/orders/official/{self.order.order_no}/cases/", {"type": case_type, **fields})
        case = Case.objects.get(type=case_type)
        self.assertRedirects(response, f"/cases/{case.pk}/", fetch_redirect_response=False)
        return case

    def test_service_opens_a_return_and_sees_messages_to_copy(self) -> None:
        self.client.force_login(self.service)
        self.assertContains(self.client.get("/orders/official/GW-SHIPPED-1/"), "新建售后单")
        case = self._open("return_refund")
        page = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(page, "麻烦拦截退回")
        self.assertContains(page, 'data-copy="message-1"')
        self.assertContains(page, "73100000000001")
        self.assertContains(self.client.get("/cases/"), f'href="/cases/{case.pk}/"')

    def test_advance_moves_the_case_to_an_allowed_state(self) -> None:
        self.client.force_login(self.service)
        case = self._open("return_refund")
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), 'value="approved"')
        self.client.post(f"/cases/{case.pk}/advance/", {"state": "approved"})
        case.refresh_from_db()
        self.assertEqual(case.state, "approved")
        response = self.client.post(f"/cases/{case.pk}/advance/", {"state": "settled"}, follow=True)
        self.assertContains(response, "不能改为")

    def test_send_shows_why_it_failed(self) -> None:
        self.client.force_login(self.service)
        case = self._open("lost_parcel", amount="35")
        response = self.client.post(f"/cases/{case.pk}/send/", **HTMX)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response["HX-Retarget"], "#send-result")
        self.assertContains(response, "发送失败", status_code=409)
        self.assertContains(response, "SMTP", status_code=409)

    def test_a_refused_open_says_why_on_the_order_page(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post("/orders/official/GW-SHIPPED-1/cases/", {"type": "lost_parcel"}, follow=True)
        self.assertFalse(Case.objects.exists())
        self.assertContains(response, "GW-SHIPPED-1")
        self.assertContains(response, 'class="msg error"')

    def test_pharmacists_may_not_open_cases(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertNotContains(self.client.get("/orders/official/GW-SHIPPED-1/"), "新建售后单")
        response = self.client.post("/orders/official/GW-SHIPPED-1/cases/", {"type": "return_refund"})
        self.assertEqual(response.status_code, 403)

    def test_an_unknown_case_is_404_to_look_at_send_or_advance(self) -> None:
        self.client.force_login(self.service)
        self.assertEqual(self.client.get("/cases/99999/").status_code, 404)
        self.assertEqual(self.client.post("/cases/99999/send/", **HTMX).status_code, 404)
        self.assertEqual(self.client.post("/cases/99999/advance/", {"state": "approved"}).status_code, 404)
