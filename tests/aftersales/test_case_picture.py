"""What the 不放清单 picture draws of an order's lines: bounded whatever the order holds, and readable whatever its
names contain."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from opsdesk.aftersales.picture import MAX_LINES, packing_list_picture, picture_table
from opsdesk.aftersales.services import case_open
from opsdesk.orders.models import OrderLine
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

ORDER_NO = "GW2611230000999"


class PackingPictureTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(order_no=ORDER_NO)

    def lines(self, *names: str) -> None:
        OrderLine.objects.bulk_create(
            OrderLine(order=self.order, line_no=number, sku=f"SKU-{number:04d}", name=name, spec="10g*9袋", qty=1)
            for number, name in enumerate(names, start=1)
        )

    def test_a_huge_order_draws_its_first_lines_and_counts_the_rest(self) -> None:
        """300 lines with 200-character names took 8.7 s and 335 MB, into a picture 4,000 by 11,000 pixels."""
        self.lines(*[("阿莫西林胶囊" * 40)[:200]] * 300)
        case = case_open(type="omit_packing_list", order_no=ORDER_NO, user=self.operator)
        rows, left_out = picture_table(case)
        self.assertEqual((len(rows), left_out), (1 + MAX_LINES, 300 - MAX_LINES))
        self.assertEqual(rows[1][1:3], ["SKU-0001", ("阿莫西林胶囊" * 7)[:39] + "…"])
        self.assertEqual(rows[-1][0], str(MAX_LINES))
        image = Image.open(io.BytesIO(packing_list_picture(case=case)))
        self.assertLess(image.width, 1400)
        self.assertLess(image.height, 1800)

    def test_a_short_order_draws_every_line_whole(self) -> None:
        self.lines("阿莫西林胶囊", "维生素C片")
        case = case_open(type="omit_packing_list", order_no=ORDER_NO, user=self.operator)
        rows, left_out = picture_table(case)
        self.assertEqual(([row[2] for row in rows[1:]], left_out), (["阿莫西林胶囊", "维生素C片"], 0))

    def test_what_the_font_cannot_draw_is_one_mark_and_the_rest_reads(self) -> None:
        """Emoji, Arabic and Hebrew (which Debian's CJK font has no glyphs for) were drawn as a box each, a direction
        override turned the rest of the name round and a control character was a box too."""
        self.lines("维生素C片😀👨\u200d👩\u200d👧 ok", "مرحبا 阿莫西林", "שלום 板蓝根", "感冒\x07灵\t颗粒", "a\u202eb\u200bc é")
        case = case_open(type="omit_packing_list", order_no=ORDER_NO, user=self.operator)
        rows, _ = picture_table(case)
        self.assertEqual([row[2] for row in rows[1:]],
                         ["维生素C片\ufffd ok", "\ufffd 阿莫西林", "\ufffd 板蓝根", "感冒 灵 颗粒", "abc é"])
        self.assertEqual(Image.open(io.BytesIO(packing_list_picture(case=case))).format, "PNG")

    def test_a_cut_name_keeps_what_it_can_draw(self) -> None:
        self.lines("😀" * 30 + "阿" * 60)
        case = case_open(type="omit_packing_list", order_no=ORDER_NO, user=self.operator)
        self.assertEqual(picture_table(case)[0][1][2], "\ufffd" + "阿" * 38 + "…")
