"""aftersale_expiring (拼多多 售后 near or past its 超时时间), complaint_due (an open complaint near or past its
deadline) and rx_wechat (the buyers the pharmacist needs a prescription from)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from opsdesk.aftersales.models import CaseState
from opsdesk.aftersales.services import case_advance, case_open
from opsdesk.orders.models import Channel, ChannelAftersale, OrderStatus
from opsdesk.rules.models import RuleConfig
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import AT, flag_of, flagged, message_of, moment

pytestmark = pytest.mark.postgres


def aftersale(order_no: str, deadline: datetime | None, *, number: str = "AS1", status: str = "seller",
              channel: str = "pdd", status_raw: str = "待商家处理") -> ChannelAftersale:
    return ChannelAftersale.objects.create(
        aftersale_no=number, channel=Channel.objects.get(code=channel), order_no=order_no, kind="refund_only",
        kind_raw="仅退款", status=status, status_raw=status_raw, deadline=deadline, amount=Decimal("19.90"))


class AftersaleExpiringTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(channel_code="pdd", order_no="261123-1", status=OrderStatus.SHIPPED)

    def test_a_request_awaiting_the_shop_within_six_hours_is_flagged_with_what_and_when(self) -> None:
        aftersale("261123-1", AT + timedelta(hours=5, minutes=30))
        self.assertEqual(flagged("aftersale_expiring"), {"261123-1"})
        self.assertEqual(message_of("aftersale_expiring", self.order),
                         "仅退款 AS1 (待商家处理) 超时时间 11-23 14:30, 还剩 5 小时 30 分钟")
        self.assertEqual(flag_of("aftersale_expiring", self.order).since, AT - timedelta(minutes=30))

    def test_a_passed_deadline_says_by_how_much(self) -> None:
        aftersale("261123-1", AT - timedelta(hours=2))
        self.assertEqual(message_of("aftersale_expiring", self.order),
                         "仅退款 AS1 (待商家处理) 超时时间 11-23 07:00, 已超时 2 小时")

    def test_far_deadlines_the_buyers_move_closed_ones_and_no_deadline_are_not_flagged(self) -> None:
        aftersale("261123-1", AT + timedelta(hours=6, minutes=1), number="FAR")
        aftersale("261123-1", AT, number="BUYER", status="buyer", status_raw="待买家退货")
        aftersale("261123-1", AT, number="DONE", status="closed", status_raw="退款成功")
        aftersale("261123-1", None, number="NONE")
        self.assertEqual(flagged("aftersale_expiring"), set())

    def test_the_window_is_the_rules_own_warning_hours(self) -> None:
        aftersale("261123-1", AT + timedelta(hours=20))
        RuleConfig.objects.create(code="aftersale_expiring", warning_hours=24)
        self.assertEqual(flagged("aftersale_expiring"), {"261123-1"})

    def test_it_matches_the_order_on_its_own_channel_only(self) -> None:
        OrderFactory(channel_code="suning", order_no="261123-1")
        aftersale("261123-1", AT)
        self.assertEqual({(f.channel, f.order_no) for f in self._flags()}, {("pdd", "261123-1")})

    def test_an_unknown_status_counts_to_be_safe(self) -> None:
        aftersale("261123-1", AT, status="unknown", status_raw="等待处理")
        self.assertEqual(flagged("aftersale_expiring"), {"261123-1"})

    def test_the_earliest_request_of_an_order_is_the_one_named(self) -> None:
        aftersale("261123-1", AT + timedelta(hours=3), number="LATER")
        aftersale("261123-1", AT + timedelta(hours=1), number="SOONER")
        self.assertIn("SOONER", message_of("aftersale_expiring", self.order))

    def _flags(self) -> list:
        from opsdesk.rules.selectors import exceptions_evaluate

        return exceptions_evaluate(at=AT, rule="aftersale_expiring")


class ComplaintDueTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(channel_code="pingan", order_no="PA1", status=OrderStatus.SHIPPED)

    def complaint(self, deadline: datetime, note: str = "顾客投诉 物流一直未更新") -> int:
        case = case_open(type="complaint", order_no="PA1", user=self.service, note=note,
                         deadline=deadline.isoformat())
        return case.pk

    def test_an_open_complaint_due_within_the_window_is_flagged_with_its_note_and_deadline(self) -> None:
        case_id = self.complaint(moment(23, 12))
        self.assertEqual(flagged("complaint_due"), {"PA1"})
        self.assertEqual(message_of("complaint_due", self.order),
                         f"投诉 #{case_id} 「顾客投诉 物流一直未更新」 处理期限 11-23 12:00, 还剩 3 小时")

    def test_a_passed_deadline_says_so(self) -> None:
        self.complaint(moment(22, 18))
        self.assertTrue(message_of("complaint_due", self.order).endswith("处理期限 11-22 18:00, 已超时 15 小时"))

    def test_a_settled_or_far_complaint_is_not_flagged(self) -> None:
        case_id = self.complaint(moment(23, 10))
        case_advance(case_id=case_id, to_state=CaseState.SETTLED, user=self.service, note="已与顾客沟通")
        self.complaint(moment(24, 18))
        self.assertEqual(flagged("complaint_due"), set())


class RxWechatTestCase(BaseTestCase):
    def test_unpaid_and_unreviewed_rx_orders_are_the_buyers_to_contact(self) -> None:
        unpaid = OrderFactory(order_no="GW-UNPAID", status=OrderStatus.UNPAID, has_rx=True)
        waiting = OrderFactory(order_no="GW-WAIT", has_rx=True)
        OrderFactory(order_no="GW-PLAIN")
        OrderFactory(order_no="GW-SHIPPED", status=OrderStatus.SHIPPED, has_rx=True)
        self.assertEqual(flagged("rx_wechat"), {"GW-UNPAID", "GW-WAIT"})
        self.assertEqual(message_of("rx_wechat", unpaid), "待付款订单含处方药 (下单 11-23 08:00), 核实处方并引导加药师微信")
        self.assertEqual(message_of("rx_wechat", waiting),
                         "含处方药, 尚无药师审核通过的处方, 不得发货; 引导顾客加药师微信发处方")
