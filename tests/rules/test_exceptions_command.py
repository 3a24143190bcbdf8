"""`opsdesk exceptions [--at DATETIME] [--rule R] [--channel C] [--json]`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from opsdesk.orders.models import OrderStatus
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import AT, cli, moment

pytestmark = pytest.mark.postgres


class ExceptionsCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        OrderFactory(order_no="GW-LATE", ship_by=AT - timedelta(hours=2), buyer_message="周末不在家")
        OrderFactory(channel_code="yaofangwang", order_no="YF-1601", paid_at=moment(22, 16, 1), ship_by=None)
        OrderFactory(order_no="GW-SHIPPED", status=OrderStatus.SHIPPED, ship_by=AT - timedelta(days=1))

    def test_it_lists_every_flag_at_the_given_moment_as_json(self) -> None:
        code, out, _ = cli("exceptions", "--at", "2026-11-23T09:00", "--json")
        self.assertEqual(code, 0)
        flags = json.loads(out)
        self.assertEqual(
            sorted((f["rule"], f["order_no"]) for f in flags),
            [("buyer_note", "GW-LATE"), ("cutoff_due_today", "YF-1601"), ("cutoff_unshipped", "YF-1601"),
             ("paid_to_push", "GW-LATE"), ("ship_overdue", "GW-LATE")],
        )
        overdue = next(f for f in flags if f["rule"] == "ship_overdue")
        self.assertEqual(overdue["since"], "2026-11-23T07:00:00+08:00")
        self.assertEqual(set(overdue), {"rule", "channel", "order_no", "severity", "message", "since"})

    def test_at_moves_the_clock_for_the_cutoff(self) -> None:
        _, before, _ = cli("exceptions", "--at", "2026-11-23T15:59", "--rule", "cutoff_missed", "--json")
        _, after, _ = cli("exceptions", "--at", "2026-11-23T16:00+08:00", "--rule", "cutoff_missed", "--json")
        self.assertEqual(json.loads(before), [])
        self.assertEqual([f["order_no"] for f in json.loads(after)], ["YF-1601"])

    def test_rule_and_channel_narrow_the_list(self) -> None:
        _, out, _ = cli("exceptions", "--at", "2026-11-24T18:00", "--channel", "yaofangwang", "--json")
        self.assertEqual({(f["rule"], f["channel"]) for f in json.loads(out)}, {("cutoff_missed", "yaofangwang"), ("cutoff_unshipped", "yaofangwang")})

    def test_human_output_names_the_rule_order_and_reason(self) -> None:
        code, out, _ = cli("exceptions", "--at", "2026-11-23T09:00", "--rule", "ship_overdue")
        self.assertEqual(code, 0)
        self.assertIn("超时未发货 官网 GW-LATE", out)
        self.assertIn("已过 2 小时", out)
        self.assertIn("共 1 条", out)

    def test_bad_input_exits_1_or_2_with_a_message(self) -> None:
        code, _, err = cli("exceptions", "--at", "yesterday")
        self.assertEqual(code, 1)
        self.assertIn("时间格式不对", err)
        code, _, err = cli("exceptions", "--channel", "taobao")
        self.assertEqual(code, 1)
        self.assertIn("未知平台", err)
        code, _, _ = cli("exceptions", "--rule", "nope")
        self.assertEqual(code, 2)
