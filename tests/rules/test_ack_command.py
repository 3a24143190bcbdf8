"""`opsdesk ack ORDER_NO --user U [--channel C] [--json]`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import TransactionTestCase

from opsdesk.orders.models import Order, OrderEvent
from opsdesk.rules.models import Acknowledgement
from opsdesk.rules.registry import note_hash
from opsdesk.rules.services import order_ack
from opsdesk.test import BaseTestCase, user_make
from tests.concurrency import at_once
from tests.factories import OrderFactory
from tests.rules.helpers import cli, flagged

pytestmark = pytest.mark.postgres


class AckCommandTestCase(BaseTestCase):
    def test_it_records_who_and_when_and_clears_the_flag(self) -> None:
        order = OrderFactory(order_no="GW100", buyer_message="发票抬头见备注", seller_note="要发票")
        code, out, _ = cli("ack", "GW100", "--user", "service", "--json")
        self.assertEqual(code, 0)
        payload = json.loads(out)
        self.assertEqual((payload["ok"], payload["order_no"], payload["user"]), (True, "GW100", "service"))
        ack = Acknowledgement.objects.get(order=order)
        self.assertEqual((ack.user, ack.text_hash), (self.service, note_hash("发票抬头见备注", "要发票")))
        self.assertTrue(OrderEvent.objects.filter(order=order, kind="ack", user=self.service).exists())
        self.assertEqual(flagged("buyer_note"), set())

    def test_a_note_changed_by_a_later_import_needs_a_new_ack(self) -> None:
        order = OrderFactory(order_no="GW101", buyer_message="放门口")
        cli("ack", "GW101", "--user", "operator")
        order.buyer_message = "放门口, 不要打电话"
        order.save()
        self.assertEqual(flagged("buyer_note"), {"GW101"})
        self.assertEqual(cli("ack", "GW101", "--user", "operator")[0], 0)
        self.assertEqual(flagged("buyer_note"), set())
        self.assertEqual(Acknowledgement.objects.filter(order=order).count(), 2)

    def test_channel_picks_between_orders_with_the_same_number(self) -> None:
        OrderFactory(order_no="123", buyer_message="A")
        pdd = OrderFactory(order_no="123", channel_code="pdd", buyer_message="B")
        code, _, err = cli("ack", "123", "--user", "service")
        self.assertEqual(code, 1)
        self.assertIn("不唯一", err)
        self.assertEqual(cli("ack", "123", "--user", "service", "--channel", "pdd")[0], 0)
        self.assertEqual(list(Acknowledgement.objects.values_list("order", flat=True)), [pdd.pk])

    def test_it_refuses_unknown_orders_users_and_orders_without_a_note(self) -> None:
        OrderFactory(order_no="GW102")
        for args, message in (
            (("GW999", "--user", "service"), "找不到订单"),
            (("GW102", "--user", "ghost"), "没有用户"),
            (("GW102", "--user", "service"), "没有买家留言或客户备注"),
        ):
            code, _, err = cli("ack", *args)
            self.assertEqual(code, 1, args)
            self.assertIn(message, err)
        self.assertFalse(Acknowledgement.objects.exists())


class RepeatedAckTestCase(TransactionTestCase):
    """The same text acknowledged again (a double click, the queue's row cleared again) or by two people at once:
    the first is recorded, the others refused with who did it and when; the order's history says it once."""

    serialized_rollback = True

    def setUp(self) -> None:
        self.order = OrderFactory(order_no="GW110", buyer_message="请用顺丰")
        self.users = [user_make(role="service", username=f"kefu{n}") for n in range(2)]

    def test_it_refuses_a_second_ack_of_the_same_text(self) -> None:
        self.assertEqual(cli("ack", "GW110", "--user", "kefu0")[0], 0)
        code, _, err = cli("ack", "GW110", "--user", "kefu1")
        self.assertEqual(code, 1)
        self.assertIn("订单 GW110 的留言/备注已确认: kefu0", err)
        self.assertEqual(Acknowledgement.objects.count(), 1)

    def test_two_acks_at_once_record_one(self) -> None:
        def ack(n: int) -> Any:
            return order_ack(order=Order.objects.get(pk=self.order.pk), user=self.users[n])

        results = at_once(ack)
        self.assertEqual(sorted(type(r).__name__ for r in results), ["Acknowledgement", "Refused"], results)
        self.assertEqual(Acknowledgement.objects.count(), 1)
        self.assertEqual(OrderEvent.objects.filter(order=self.order, kind="ack").count(), 1)
