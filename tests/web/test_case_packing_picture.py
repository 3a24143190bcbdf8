"""`/cases/<id>/packing-list.png`: the 不放清单 order picture, drawn from the order's lines, on the case page."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image, ImageFont

from opsdesk.aftersales.services import case_open
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

RED = (220, 38, 38)


class PackingPictureTestCase(BaseTestCase):
    def setUp(self) -> None:
        order = OrderFactory(order_no="GW2611230000777")
        OrderLineFactory(order=order, line_no=1, sku="SKU-AMX-24", name="阿莫西林胶囊", spec="0.25g*24粒", qty=2)
        OrderLineFactory(order=order, line_no=2, sku="SKU-DG-10", name="当归", spec="10g", qty=5)
        self.case = case_open(type="omit_packing_list", order_no=order.order_no, user=self.operator)

    def picture(self, **params: str) -> Image.Image:
        self.client.force_login(self.service)
        response = self.client.get(f"/cases/{self.case.pk}/packing-list.png", params)
        self.assertEqual(response["Content-Type"], "image/png")
        self.response = response
        return Image.open(io.BytesIO(response.content))

    def test_it_draws_a_png_with_a_row_per_line_and_the_marked_columns_boxed_in_red(self) -> None:
        image = self.picture()
        self.assertEqual(image.format, "PNG")
        self.assertGreater(image.height, 4 * 36)
        colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 16) or []}
        self.assertIn(RED, colours)

    def test_it_draws_chinese_glyphs_not_boxes(self) -> None:
        """A font without CJK glyphs draws every character as the same box (tofu): 当 and 归 would look alike."""
        font = ImageFont.truetype(settings.CJK_FONT, 20)
        self.assertNotEqual(bytes(font.getmask("当")), bytes(font.getmask("归")))
        self.assertEqual(self.picture().mode, "RGB")

    def test_it_downloads_named_after_the_order(self) -> None:
        self.picture(download="1")
        self.assertIn("attachment", self.response["Content-Disposition"])
        self.assertIn("GW2611230000777", self.response["Content-Disposition"])

    def test_the_case_page_shows_it_ready_to_copy_or_download(self) -> None:
        self.client.force_login(self.operator)
        page = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(page, f'data-copy-image="/cases/{self.case.pk}/packing-list.png"')
        self.assertContains(page, f'href="/cases/{self.case.pk}/packing-list.png?download=1"')
        self.assertContains(page, "web/clipboard-image.js")
        self.assertNotContains(page, "<script>")

    def test_it_refuses_other_case_types_and_unknown_cases(self) -> None:
        order = OrderFactory(order_no="GW2611230000778", status="shipped", tracking_no="75300000000777")
        lost = case_open(type="lost_parcel", order_no=order.order_no, amount="30", user=self.service)
        self.client.force_login(self.operator)
        response = self.client.get(f"/cases/{lost.pk}/packing-list.png")
        self.assertEqual(response.status_code, 409)
        self.assertIn("不是不放清单", response.content.decode())
        self.assertEqual(self.client.get("/cases/999999/packing-list.png").status_code, 404)

    def test_it_names_the_font_setting_when_the_font_is_missing(self) -> None:
        self.client.force_login(self.operator)
        with override_settings(CJK_FONT="/nonexistent/font.ttc"):
            response = self.client.get(f"/cases/{self.case.pk}/packing-list.png")
        self.assertEqual(response.status_code, 409)
        self.assertIn("OPSDESK_CJK_FONT", response.content.decode())
