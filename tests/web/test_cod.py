from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import quote

import pytest
from django.test import override_settings
from python_calamine import CalamineWorkbook

from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Courier, OrderStatus, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres


class CodTestCase(BaseTestCase):
    def setUp(self) -> None:
        OrderFactory(
            order_no="GW-COD-1", status=OrderStatus.ALLOCATING, status_raw="配货中", payment=Payment.COD,
            payment_raw="货到付款", placed_at=datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI), paid_at=None,
            courier=Courier.ZTO, courier_raw="中通快递", tracking_no="73100000000009",
        )

    def test_it_downloads_the_sheet_with_its_chinese_name(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/reports/cod/", {"date": "2026-11-23"})
        self.assertEqual(response.status_code, 200)
        name = quote("上元堂官网中通货到付款2026-11-23.xlsx")
        self.assertEqual(response["Content-Disposition"], f"attachment; filename*=utf-8''{name}")
        rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
        self.assertIn("GW-COD-1", [str(cell) for row in rows for cell in row])

    def test_without_a_date_it_offers_the_form(self) -> None:
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/reports/cod/"), 'name="date"')

    def test_the_page_sums_up_the_sheet_before_the_download(self) -> None:
        OrderFactory(
            order_no="GW-COD-2", status=OrderStatus.ALLOCATING, payment=Payment.COD, paid_at=None,
            placed_at=datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), courier=Courier.STO, courier_raw="申通快递",
            receiver_phone="13900000002",
        )
        OrderFactory(
            order_no="GW-COD-3", status=OrderStatus.ALLOCATING, payment=Payment.COD, paid_at=None, has_rx=True,
            placed_at=datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI), receiver_phone="13900000003",
        )
        self.client.force_login(self.operator)
        with override_settings(COD_OWNER="王芳 025-00000000"):
            response = self.client.get("/reports/cod/", {"day": "2026-11-23"})
        self.assertContains(response, "共 2 单, 代收货款合计 ¥200.00")  # GW-COD-3 is held: Rx not approved
        self.assertContains(response, '<span id="cod-owner">王芳 025-00000000</span>')
        self.assertContains(response, "⚠ GW-COD-2: 货到付款须走中通快递, 现为 申通快递")
        self.assertContains(response, "⚠ GW-COD-3: 含处方药, 尚无药师审核通过的处方, 不得按货到付款发出 (未列入表格)")
        self.assertNotContains(response, "<td>GW-COD-3</td>")
        for mark in ("非中通", "无快递单号"):
            self.assertContains(response, f'<span class="badge high">{mark}</span>')
        self.assertContains(response, "139****0002")
        self.assertNotContains(response, "13900000002")
        self.assertContains(response, '<input type="hidden" name="date" value="2026-11-23">')

    def test_a_bad_date_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/reports/cod/", {"date": "23/11/2026"}, follow=True)
        self.assertContains(response, "日期格式不对")

    def test_pharmacists_may_not_download_it(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertEqual(self.client.get("/reports/cod/", {"date": "2026-11-23"}).status_code, 403)
