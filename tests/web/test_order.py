from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import OrderEvent, OrderLineHistory
from opsdesk.rules.models import Acknowledgement, RxReview
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory, image_bytes

pytestmark = pytest.mark.postgres

HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/orders/official/GW-RX-1/"
PNG = image_bytes(colour="blue")  # a made-up prescription scan


class OrderPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(
            order_no="GW-RX-1", has_rx=True, receiver_phone="13712345678", buyer_message="请尽快发货",
            ship_by=datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI) - timedelta(hours=1),
        )
        OrderLineFactory(order=self.order, line_no=1, name="阿莫西林胶囊", rx=True)
        OrderLineFactory(order=self.order, line_no=2, name="当归", spec="10g", tcm=True)

    def test_it_shows_lines_with_badges_flags_and_a_masked_phone(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(URL)
        self.assertContains(response, "阿莫西林胶囊")
        self.assertContains(response, '<span class="badge rx">Rx</span>')
        self.assertContains(response, '<span class="badge tcm">中药</span>')
        self.assertContains(response, "137****5678")
        self.assertNotContains(response, "13712345678")
        self.assertContains(response, "处方")  # the rx_review flag

    def test_an_exports_word_is_shown_beside_ours_only_when_it_differs(self) -> None:
        OrderFactory(order_no="GW-COD-1", payment="cod", payment_raw="货到付款", courier="zto", courier_raw="中通")
        self.client.force_login(self.operator)
        page = self.client.get("/orders/official/GW-COD-1/").content.decode()
        self.assertIn("<dd>货到付款</dd>", page)
        self.assertIn('<dd>中通快递 <span class="muted">中通</span></dd>', page)

    def test_unknown_orders_are_404(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get("/orders/official/NOPE/").status_code, 404)

    def test_it_shows_the_lines_an_import_replaced(self) -> None:
        self.client.force_login(self.operator)
        self.assertNotContains(self.client.get(URL), 'id="line-history"')
        replaced = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
        OrderLineHistory.objects.create(order=self.order, line_no=1, sku="SKU-OLD", name="布洛芬缓释胶囊", qty=4,
                                        replaced_at=replaced)
        response = self.client.get(URL)
        self.assertContains(response, 'id="line-history"')
        self.assertContains(response, "替换于 2026-11-23 10:30")
        self.assertContains(response, "布洛芬缓释胶囊")

    def test_revealing_the_phone_is_logged_without_the_number(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(URL + "phone/", **HTMX)
        self.assertContains(response, "13712345678")
        # The history follows out of band, so the look shows there at once.
        self.assertContains(response, '<table id="events" hx-swap-oob="true">')
        self.assertContains(response, "phone_revealed")
        event = OrderEvent.objects.get(order=self.order, kind="phone_revealed")
        self.assertEqual(event.user, self.service)
        self.assertNotIn("5678", event.text)
        self.assertContains(self.client.get(URL), "phone_revealed")

    def test_acknowledging_the_buyer_note_answers_with_the_checks(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(URL + "ack/", **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertTrue(Acknowledgement.objects.filter(order=self.order, user=self.service).exists())

    def test_it_refuses_rx_review_to_service_and_operators(self) -> None:
        for user in (self.service, self.operator, self.admin):
            self.client.force_login(user)
            self.assertNotContains(self.client.get(URL), 'id="rx-review"')
            response = self.client.post(URL + "rx-review/", {"decision": "approve"}, **HTMX)
            self.assertEqual(response.status_code, 403, user.username)
        self.assertFalse(RxReview.objects.exists())

    def test_a_pharmacist_approves_with_an_uploaded_image(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertContains(self.client.get(URL), 'id="rx-review"')
        image = SimpleUploadedFile("rx.png", PNG, content_type="image/png")
        response = self.client.post(
            URL + "rx-review/", {"decision": "approve", "prescription": "RX-001", "image": image, "note": "ok"}, **HTMX
        )
        self.assertEqual(response.status_code, 200)
        review = RxReview.objects.get()
        self.assertEqual((review.reviewer, review.decision, review.prescription), (self.pharmacist, "approve", "RX-001"))
        self.assertTrue(review.image_sha256)
        self.assertContains(response, "通过")
        self.assertContains(response, '<table id="events" hx-swap-oob="true">')
        self.assertContains(response, "<td>rx_review</td>")

    def test_a_bad_decision_is_refused_with_the_reason(self) -> None:
        self.client.force_login(self.pharmacist)
        response = self.client.post(URL + "rx-review/", {"decision": "maybe"}, **HTMX)
        self.assertEqual(response.status_code, 409)
        self.assertFalse(RxReview.objects.exists())
