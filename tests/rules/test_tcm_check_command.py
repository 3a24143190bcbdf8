"""`opsdesk tcm check ORDER_NO --user U [--channel C] [--note TEXT] [--json]`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import TransactionTestCase

from opsdesk.orders.models import Order, OrderEvent
from opsdesk.rules.models import TcmCheck
from opsdesk.rules.services import tcm_check
from opsdesk.test import BaseTestCase, user_make
from tests.concurrency import at_once
from tests.factories import OrderFactory
from tests.rules.helpers import cli, flagged, order_with_line

pytestmark = pytest.mark.postgres


class TcmCheckCommandTestCase(BaseTestCase):
    def test_it_records_the_check_and_clears_tcm_spec(self) -> None:
        order = order_with_line(order_no="GW200", has_tcm=True, line={"tcm": True, "name": "黄芪", "spec": "500g"})
        self.assertEqual(flagged("tcm_spec"), {"GW200"})
        code, out, _ = cli("tcm", "check", "GW200", "--user", "operator", "--note", "规格 500g 已核对", "--json")
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["ok"], True)
        check = TcmCheck.objects.get(order=order)
        self.assertEqual((check.user, check.note), (self.operator, "规格 500g 已核对"))
        self.assertEqual(OrderEvent.objects.get(order=order, kind="tcm_check").text, "规格 500g 已核对")
        self.assertEqual(flagged("tcm_spec"), set())

    def test_it_refuses_orders_without_tcm_items(self) -> None:
        OrderFactory(order_no="GW201", has_tcm=False)
        code, _, err = cli("tcm", "check", "GW201", "--user", "operator")
        self.assertEqual(code, 1)
        self.assertIn("不含中药", err)
        self.assertFalse(TcmCheck.objects.exists())

    def test_it_refuses_service_users_as_the_desk_does(self) -> None:
        order_with_line(order_no="GW202", has_tcm=True, line={"tcm": True})
        code, _, err = cli("tcm", "check", "GW202", "--user", "service")
        self.assertEqual(code, 1)
        self.assertIn("没有记录中药规格核对的权限", err)
        self.assertFalse(TcmCheck.objects.exists())
        self.client.force_login(self.service)
        self.assertEqual(self.client.post("/orders/official/GW202/tcm-check/").status_code, 403)


class RepeatedTcmCheckTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        self.order = order_with_line(order_no="GW210", has_tcm=True, line={"tcm": True, "spec": "10g"})
        self.users = [user_make(role="operator", username=f"yunying{n}") for n in range(2)]

    def test_it_refuses_a_second_check(self) -> None:
        self.assertEqual(cli("tcm", "check", "GW210", "--user", "yunying0")[0], 0)
        code, _, err = cli("tcm", "check", "GW210", "--user", "yunying1", "--note", "再核对")
        self.assertEqual(code, 1)
        self.assertIn("订单 GW210 的中药规格已核对: yunying0", err)
        self.assertEqual(TcmCheck.objects.count(), 1)

    def test_it_refuses_a_note_too_long_or_with_hidden_characters(self) -> None:
        for note in ("长" * 2001, "\x07\x1b[31m", "\u202eRLO"):
            code, _, err = cli("tcm", "check", "GW210", "--user", "yunying0", "--note", note)
            self.assertEqual(code, 1, repr(note[:5]))
            self.assertIn("说明", err)
        self.assertFalse(TcmCheck.objects.exists())
        self.assertEqual(cli("tcm", "check", "GW210", "--user", "yunying0", "--note", "10g\n已核对")[0], 0)

    def test_two_checks_at_once_record_one(self) -> None:
        def check(n: int) -> Any:
            return tcm_check(order=Order.objects.get(pk=self.order.pk), user=self.users[n])

        results = at_once(check)
        self.assertEqual(sorted(type(r).__name__ for r in results), ["Refused", "TcmCheck"], results)
        self.assertEqual(OrderEvent.objects.filter(order=self.order, kind="tcm_check").count(), 1)
