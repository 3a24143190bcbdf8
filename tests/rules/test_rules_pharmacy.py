"""rx_review, unpaid_rx, tcm_spec."""

from __future__ import annotations

import pytest

from opsdesk.orders.models import OrderStatus
from opsdesk.rules.services import rx_review, tcm_check
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import flag_of, flagged, message_of, moment, order_with_line

pytestmark = pytest.mark.postgres


class RxReviewRuleTestCase(BaseTestCase):
    def test_open_rx_orders_without_an_approved_review_are_flagged(self) -> None:
        rx = order_with_line(has_rx=True, line={"rx": True}, paid_at=moment(22, 20))
        order_with_line(has_rx=False)
        OrderFactory(has_rx=True, status=OrderStatus.UNPAID)
        self.assertEqual(flagged("rx_review"), {rx.order_no})
        flag = flag_of("rx_review", rx)
        self.assertEqual(flag.message, "含处方药, 尚无药师审核通过的处方, 不得发货")
        self.assertEqual(flag.since, moment(22, 20))

    def test_approval_clears_it_and_a_later_rejection_brings_it_back(self) -> None:
        order = OrderFactory(has_rx=True)
        rx_review(order=order, user=self.pharmacist, decision="approve", prescription="RX-1")
        self.assertEqual(flagged("rx_review"), set())
        rx_review(order=order, user=self.pharmacist, decision="reject", note="处方过期")
        self.assertEqual(message_of("rx_review", order), "含处方药, 药师已驳回处方, 不得发货")

    def test_a_rejection_followed_by_an_approval_clears_it(self) -> None:
        order = OrderFactory(has_rx=True)
        rx_review(order=order, user=self.pharmacist, decision="reject")
        self.assertEqual(flagged("rx_review"), {order.order_no})
        rx_review(order=order, user=self.pharmacist, decision="approve", prescription="RX-2")
        self.assertEqual(flagged("rx_review"), set())


class UnpaidRxTestCase(BaseTestCase):
    def test_only_unpaid_orders_with_rx_items_are_flagged(self) -> None:
        unpaid = OrderFactory(status=OrderStatus.UNPAID, has_rx=True, paid_at=None, placed_at=moment(22, 21, 30))
        OrderFactory(status=OrderStatus.UNPAID, has_rx=False, paid_at=None)
        OrderFactory(has_rx=True)
        self.assertEqual(flagged("unpaid_rx"), {unpaid.order_no})
        flag = flag_of("unpaid_rx", unpaid)
        self.assertEqual(flag.since, moment(22, 21, 30))
        self.assertIn("待付款订单含处方药", flag.message)


class TcmSpecTestCase(BaseTestCase):
    def test_open_tcm_orders_are_flagged_until_someone_checks_the_spec(self) -> None:
        tcm = order_with_line(has_tcm=True, line={"tcm": True, "name": "当归", "spec": "10g"})
        order_with_line(has_tcm=False)
        self.assertEqual(flagged("tcm_spec"), {tcm.order_no})
        self.assertEqual(message_of("tcm_spec", tcm), "含中药 当归 10g, 发货前核对规格 (如 10g / 500g)")
        tcm_check(order=tcm, user=self.operator)
        self.assertEqual(flagged("tcm_spec"), set())

    def test_unpaid_tcm_orders_wait_until_they_are_open(self) -> None:
        OrderFactory(has_tcm=True, status=OrderStatus.UNPAID)
        self.assertEqual(flagged("tcm_spec"), set())
