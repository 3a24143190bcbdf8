"""The selectors others call: counts, the whole evaluation, one queue, one order; configuration."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import RECEIVER_FIELDS, AfterSales, Courier, OrderStatus, Payment
from opsdesk.rules.models import RuleConfig
from opsdesk.rules.selectors import (
    RULES,
    exceptions_evaluate,
    flag_fields,
    rule_counts,
    rule_counts_by_channel,
    rule_flags,
    rule_queryset,
)
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import AT, moment

pytestmark = pytest.mark.postgres

def make_mix() -> None:
    OrderFactory(ship_by=AT - timedelta(hours=1), buyer_message="请尽快")
    OrderFactory(channel_code="pdd", order_no="201122-1", ship_by=AT + timedelta(hours=2), has_rx=True)
    OrderFactory(channel_code="pdd", order_no="201122-2", payment=Payment.COD, courier=Courier.STO)
    OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.PENDING)
    OrderFactory(status=OrderStatus.UNPAID, has_rx=True)


class SelectorsTestCase(BaseTestCase):
    def test_rules_are_the_codes_of_the_interface_in_its_order(self) -> None:
        table = (Path(__file__).parents[2] / "docs" / "interface.md").read_text(encoding="utf-8")
        rules = table.split("## Rule codes", 1)[1].split("\n## ", 1)[0]
        codes = re.findall(r"^\| `([a-z_]+)` \|", rules, flags=re.MULTILINE)
        self.assertEqual(list(RULES), codes)
        self.assertTrue(all(RULES.values()))

    def test_counts_match_the_full_evaluation_rule_by_rule(self) -> None:
        make_mix()
        counts = rule_counts(at=AT)
        evaluated = exceptions_evaluate(at=AT)
        self.assertEqual(set(counts), set(RULES))
        for code in RULES:
            self.assertEqual(counts[code], sum(1 for flag in evaluated if flag.rule == code), code)
        self.assertEqual(
            {code: n for code, n in counts.items() if n},
            {"ship_overdue": 1, "ship_due_soon": 1, "rx_review": 1, "unpaid_rx": 1, "buyer_note": 1,
             "cod_courier": 1, "aftersales_pending": 1, "paid_to_push": 1, "rx_wechat": 2},
        )

    def test_channel_narrows_counts_and_evaluation(self) -> None:
        make_mix()
        self.assertEqual(rule_counts(at=AT, channel="pdd")["ship_due_soon"], 1)
        self.assertEqual(rule_counts(at=AT, channel="pdd")["ship_overdue"], 0)
        self.assertEqual({f.order_no for f in exceptions_evaluate(at=AT, channel="pdd")}, {"201122-1", "201122-2"})

    def test_counts_by_channel_split_the_totals(self) -> None:
        make_mix()
        by_channel = rule_counts_by_channel(at=AT)
        totals = rule_counts(at=AT)
        self.assertEqual({code: sum(split.values()) for code, split in by_channel.items()}, totals)
        self.assertEqual(by_channel["ship_due_soon"], {"pdd": 1})
        self.assertEqual(by_channel["ship_overdue"], {"official": 1})
        self.assertEqual(by_channel["stock_short"], {})

    def test_flags_have_the_interface_json_shape(self) -> None:
        OrderFactory(order_no="GW1", ship_by=moment(23, 7))
        [flag] = exceptions_evaluate(at=AT, rule="ship_overdue")
        self.assertEqual(flag.as_json(), {
            "rule": "ship_overdue", "channel": "official", "order_no": "GW1", "severity": "high",
            "message": "承诺发货时间 11-23 07:00 已过 2 小时 仍未发货", "since": "2026-11-23T07:00:00+08:00",
        })

    def test_a_queue_is_oldest_first_and_pages(self) -> None:
        for hours in (3, 1, 2):
            OrderFactory(order_no=f"GW-{hours}", ship_by=AT - timedelta(hours=hours))
        self.assertEqual([o.order_no for o in rule_queryset(code="ship_overdue", at=AT)], ["GW-3", "GW-2", "GW-1"])
        page = rule_flags(code="ship_overdue", at=AT, offset=1, limit=1)
        self.assertEqual([f.order_no for f in page], ["GW-2"])

    def test_a_disabled_rule_flags_nothing_and_severity_is_configurable(self) -> None:
        make_mix()
        RuleConfig.objects.filter(code="ship_overdue").update(enabled=False)
        RuleConfig.objects.filter(code="buyer_note").update(severity="low")
        self.assertEqual(rule_counts(at=AT)["ship_overdue"], 0)
        self.assertFalse(rule_queryset(code="ship_overdue", at=AT).exists())
        self.assertEqual({f.severity for f in exceptions_evaluate(at=AT, rule="buyer_note")}, {"low"})

    def test_a_missing_config_row_falls_back_to_the_defaults(self) -> None:
        RuleConfig.objects.filter(code="ship_due_soon").delete()
        OrderFactory(ship_by=AT + timedelta(hours=5))
        self.assertEqual(rule_counts(at=AT)["ship_due_soon"], 1)

    def test_unknown_rules_and_channels_are_refused(self) -> None:
        with self.assertRaisesMessage(Refused, "未知规则"):
            rule_queryset(code="nope", at=AT)
        with self.assertRaisesMessage(Refused, "未知平台"):
            exceptions_evaluate(at=AT, channel="taobao")

    def test_flagged_orders_carry_no_receiver_and_their_messages_need_no_more_queries(self) -> None:
        def flagged_orders(count: int) -> None:
            for _ in range(count):
                OrderFactory(ship_by=AT - timedelta(hours=1), buyer_message="请尽快")
                OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.PENDING)
                OrderFactory(channel_code="pdd", payment=Payment.COD, courier=Courier.STO)

        self.assertFalse(set(flag_fields()) & set(RECEIVER_FIELDS))
        self.assertIn("buyer_message", flag_fields())  # derived from the model: a column added later is read too
        flagged_orders(1)
        with CaptureQueriesContext(connection) as one:
            few = exceptions_evaluate(at=AT)
        flagged_orders(5)
        with CaptureQueriesContext(connection) as six:
            many = exceptions_evaluate(at=AT)
        self.assertGreater(len(many), len(few))
        self.assertEqual(len(one), len(six))
