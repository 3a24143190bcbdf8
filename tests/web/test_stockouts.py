from __future__ import annotations

import pytest

from opsdesk.aftersales.models import StockoutTask
from opsdesk.orders.models import Channel, Listing
from opsdesk.test import BaseTestCase
from tests.factories import ProductFactory

pytestmark = pytest.mark.postgres

HTMX = {"HTTP_HX_REQUEST": "true"}


class StockoutTestCase(BaseTestCase):
    def setUp(self) -> None:
        ProductFactory(sku="P-OUT", stock=0)
        for code in ("pdd", "suning"):
            Listing.objects.create(channel=Channel.objects.get(code=code), sku="P-OUT", title="板蓝根颗粒")

    def test_marking_a_stock_out_lists_the_listings_to_take_down(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/stockouts/mark/", {"sku": "P-OUT"})
        response = self.client.get("/stockouts/")
        self.assertContains(response, "拼多多")
        self.assertContains(response, "苏宁")
        self.assertContains(response, "下架")

    def test_signing_a_task_off_answers_with_the_board(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/stockouts/mark/", {"sku": "P-OUT"})
        task = StockoutTask.objects.get(listing__channel__code="pdd")
        response = self.client.post(f"/stockouts/tasks/{task.pk}/done/", {"note": "已下架"}, **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, f'id="task-{task.pk}"')
        self.assertNotContains(response, "<html")
        self.assertFalse(Listing.objects.get(channel__code="pdd").active)

    def test_service_sees_the_board_but_may_not_sign(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/stockouts/mark/", {"sku": "P-OUT"})
        task = StockoutTask.objects.first()
        assert task is not None
        self.client.force_login(self.service)
        response = self.client.get("/stockouts/")
        self.assertContains(response, "P-OUT")
        self.assertNotContains(response, "/done/")
        self.assertEqual(self.client.post(f"/stockouts/tasks/{task.pk}/done/").status_code, 403)

    def test_an_unknown_sku_is_refused(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/stockouts/mark/", {"sku": "NOPE"}, follow=True)
        self.assertContains(response, "未知商品编码")
