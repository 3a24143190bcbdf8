"""`opsdesk report cod --date D [--out DIR] [--json]`."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Courier, OrderStatus, Payment
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres


class ReportCodCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.out = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cod-cmd-")))
        OrderFactory(
            order_no="GW0000000101", placed_at=datetime(2026, 11, 22, 15, tzinfo=SHANGHAI), status=OrderStatus.ALLOCATING,
            payment=Payment.COD, courier=Courier.STO, courier_raw="申通快递", tracking_no="", receiver_phone="13900005678",
            total_amount="88.80",
        )

    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("report", "cod", "--date", "2026-11-23", "--out", str(self.out), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_json_gives_path_orders_total_and_warnings(self) -> None:
        stdout, _ = self.run_command("--json")
        payload = json.loads(stdout)
        self.assertEqual(set(payload), {"path", "orders", "total_amount", "warnings", "owner", "held"})
        self.assertEqual(Path(payload["path"]), self.out.absolute() / "上元堂官网中通货到付款2026-11-23.xlsx")
        self.assertEqual((payload["orders"], payload["total_amount"]), (1, "88.80"))
        self.assertEqual(len(payload["warnings"]), 2)
        rows = CalamineWorkbook.from_path(payload["path"]).get_sheet_by_index(0).to_python()
        self.assertEqual(rows[1][0], "GW0000000101")

    def test_human_output_gives_count_total_and_warnings_but_never_the_full_phone(self) -> None:
        stdout, stderr = self.run_command()
        self.assertIn("共 1 单", stdout)
        self.assertIn("88.80", stdout)
        self.assertIn("GW0000000101", stdout)
        self.assertIn("申通快递", stdout)
        self.assertNotIn("13900005678", stdout + stderr)

    def test_a_bad_date_is_refused_with_exit_1_and_writes_nothing(self) -> None:
        with self.assertRaises(CommandError) as caught:
            call_command("report", "cod", "--date", "23/11/2026", "--out", str(self.out), stdout=io.StringIO())
        self.assertEqual(caught.exception.returncode, 1)
        self.assertEqual(list(self.out.iterdir()), [])
