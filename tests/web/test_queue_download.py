"""`/exceptions/<rule>/xlsx/`: the whole queue as a spreadsheet for those who work in Excel."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from python_calamine import CalamineWorkbook

from opsdesk.lib.dates import SHANGHAI
from opsdesk.test import BaseTestCase
from opsdesk.web import queue_rows
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)


class QueueDownloadTestCase(BaseTestCase):
    def setUp(self) -> None:
        for n in range(60):
            OrderFactory(order_no=f"GW-LATE-{n:02d}", ship_by=AT - timedelta(minutes=n + 1))
        order = OrderFactory(
            order_no="2611230000000000001", ship_by=AT - timedelta(hours=5), total_amount=Decimal("1234.50"),
            courier_raw="中通快递", tracking_no="0073100000000009", buyer_message="=HYPERLINK(\"http://example.com\")",
        )
        OrderLineFactory(order=order, line_no=1, sku="SKU-9", name="阿莫西林胶囊", qty=3, rx=True)

    def rows(self, **params: str) -> list[list[object]]:
        self.client.force_login(self.admin)
        response = self.client.get("/exceptions/ship_overdue/xlsx/", {"at": "2026-11-23T11:00", **params})
        self.assertEqual(response.status_code, 200)
        self.content = b"".join(response.streaming_content)
        return CalamineWorkbook.from_filelike(io.BytesIO(self.content)).get_sheet_by_index(0).to_python()

    def row_of(self, rows: list[list[object]], order_no: str) -> dict[object, object]:
        return dict(zip(rows[0], next(row for row in rows if row[1] == order_no), strict=True))

    def test_it_downloads_every_page_of_the_queue(self) -> None:
        rows = self.rows()
        self.assertEqual(len(rows), 1 + 61)
        self.assertEqual(rows[0][:3], ["平台", "订单编号", "说明"])

    def test_it_writes_numbers_as_numbers_and_identifiers_as_text(self) -> None:
        row = self.row_of(self.rows(), "2611230000000000001")
        self.assertEqual(row["订单金额"], 1234.5)
        self.assertEqual(row["数量"], 3.0)
        self.assertEqual(row["快递单号"], "0073100000000009")
        self.assertEqual(row["商品"], "SKU-9 阿莫西林胶囊 10g*9袋 ×3 [处方]")
        self.assertEqual(row["起始"], datetime(2026, 11, 23, 6, 0))

    def test_it_never_writes_a_formula(self) -> None:
        row = self.row_of(self.rows(), "2611230000000000001")
        self.assertEqual(row["买家留言"], '=HYPERLINK("http://example.com")')
        sheet = zipfile.ZipFile(io.BytesIO(self.content)).read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet)

    def test_it_keeps_the_channel_filter(self) -> None:
        self.assertEqual(len(self.rows(channel="pdd")), 1)

    def test_it_is_named_after_the_queue_and_the_moment(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/exceptions/ship_overdue/xlsx/")
        self.assertIn("ship_overdue", response["Content-Disposition"])
        self.assertEqual(self.client.get("/exceptions/nope/xlsx/").status_code, 404)

    def test_it_says_where_it_stopped_past_the_limit(self) -> None:
        with mock.patch.object(queue_rows, "SHEET_MAX", 10):
            rows = self.rows()
        self.assertEqual(len(rows), 1 + 10 + 1)
        self.assertEqual(rows[-1][2], "只导出了最早的 10 单: 请按平台筛选后分别下载")
