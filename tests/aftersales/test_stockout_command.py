"""`opsdesk stockout SKU [--restore]`, `stockout done TASK_ID --user U` and `stockout list`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.orders.models import Listing
from opsdesk.test import BaseTestCase
from tests.factories import ListingFactory, ProductFactory

pytestmark = pytest.mark.postgres


def stockout(*args: str) -> Any:
    out = io.StringIO()
    call_command("stockout", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


class StockoutCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        ProductFactory(sku="P-CMD")
        ListingFactory(channel_code="pdd", sku="P-CMD", title="拼多多 连花清瘟")
        ListingFactory(channel_code="suning", sku="P-CMD", title="苏宁 连花清瘟")

    def test_take_down_sign_off_and_put_back_up(self) -> None:
        data = stockout("P-CMD", "--user", "operator")
        self.assertEqual(data["sku"], "P-CMD")
        self.assertFalse(data["restore"])
        self.assertEqual(sorted((t["channel"], t["action"]) for t in data["tasks"]), [
            ("pdd", "take_down"), ("suning", "take_down"),
        ])
        pdd = next(t for t in data["tasks"] if t["channel"] == "pdd")
        signed = stockout("done", str(pdd["id"]), "--user", "operator", "--note", "已下架")
        self.assertEqual((signed["ok"], signed["task"]["done_by"], signed["task"]["note"]), (True, "operator", "已下架"))
        self.assertFalse(Listing.objects.get(channel__code="pdd", sku="P-CMD").active)
        self.assertEqual([t["channel"] for t in stockout("list")], ["suning"])
        back = stockout("P-CMD", "--restore")
        self.assertEqual([(t["channel"], t["action"]) for t in back["tasks"]], [("pdd", "put_up")])
        self.assertEqual(len(stockout("list", "--all")), 3)

    def test_refusals_exit_1(self) -> None:
        task = stockout("P-CMD")["tasks"][0]
        for args in (["NOPE"], ["done", str(task["id"])], ["done", "abc", "--user", "operator"],
                     ["done", str(task["id"]), "--user", "pharmacist"], ["a", "b", "c"]):
            with self.assertRaises(CommandError) as raised:
                stockout(*args)
            self.assertEqual(raised.exception.returncode, 1, args)
        self.assertTrue(Listing.objects.get(pk=task["listing_id"]).active)

    def test_human_output_names_channel_and_state(self) -> None:
        out = io.StringIO()
        call_command("stockout", "P-CMD", stdout=out)
        self.assertIn("下架 拼多多 P-CMD 拼多多 连花清瘟 · 待处理", out.getvalue())
