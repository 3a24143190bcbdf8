"""ship_overdue, ship_due_soon, cutoff_missed, not_allocated; and a finished order gets no flags at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsdesk.orders.models import Allocation, Courier, Order, OrderStatus, Payment
from opsdesk.rules.models import RuleConfig
from opsdesk.rules.registry import cutoff_deadline
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import AT, flag_of, flagged, message_of, moment, order_with_line, rules_of

pytestmark = pytest.mark.postgres


class ShipByTestCase(BaseTestCase):
    def test_a_ship_by_four_hours_away_is_due_soon_not_overdue(self) -> None:
        order = OrderFactory(ship_by=AT + timedelta(hours=4))
        self.assertEqual(flagged("ship_due_soon"), {order.order_no})
        self.assertEqual(flagged("ship_overdue"), set())
        self.assertEqual(message_of("ship_due_soon", order), "承诺发货时间 11-23 13:00, 还剩 4 小时, 尚未发货")

    def test_exactly_at_ship_by_it_is_overdue_and_no_longer_due_soon(self) -> None:
        order = OrderFactory(ship_by=AT)
        self.assertEqual(flagged("ship_overdue"), {order.order_no})
        self.assertEqual(flagged("ship_due_soon"), set())

    def test_past_ship_by_says_by_how_much_and_since_when(self) -> None:
        order = OrderFactory(ship_by=moment(23, 7), status=OrderStatus.ALLOCATING)
        flag = flag_of("ship_overdue", order)
        self.assertEqual(flag.message, "承诺发货时间 11-23 07:00 已过 2 小时 仍未发货")
        self.assertEqual(flag.since, moment(23, 7))
        self.assertEqual(flag.severity, "high")

    def test_the_warning_window_is_six_hours_inclusive_and_configurable(self) -> None:
        edge = OrderFactory(ship_by=AT + timedelta(hours=6))
        OrderFactory(ship_by=AT + timedelta(hours=6, minutes=1))
        self.assertEqual(flagged("ship_due_soon"), {edge.order_no})
        RuleConfig.objects.filter(code="ship_due_soon").update(warning_hours=3)
        self.assertEqual(flagged("ship_due_soon"), set())

    def test_orders_not_awaiting_shipment_or_without_ship_by_are_not_flagged(self) -> None:
        OrderFactory(ship_by=moment(22, 9), status=OrderStatus.UNPAID)
        OrderFactory(ship_by=None)
        self.assertEqual(flagged("ship_overdue") | flagged("ship_due_soon"), set())


class CutoffTestCase(BaseTestCase):
    def yfw(self, paid_hour: int, paid_minute: int, day: int = 22) -> Order:
        paid = moment(day, paid_hour, paid_minute)
        return OrderFactory(channel_code="yaofangwang", order_no=f"YF{day}{paid_hour:02d}{paid_minute:02d}",
                            placed_at=paid, paid_at=paid, ship_by=None)

    def test_paid_at_16_01_yesterday_is_not_missed_at_09_00_but_is_at_16_00_today(self) -> None:
        order = self.yfw(16, 1)
        self.assertEqual(flagged("cutoff_missed", AT), set())
        self.assertEqual(flagged("cutoff_missed", moment(23, 15, 59)), set())
        self.assertEqual(flagged("cutoff_missed", moment(23, 16)), {order.order_no})
        self.assertEqual(
            message_of("cutoff_missed", order, moment(23, 18)),
            "药房网 11-22 16:01 付款, 应于 11-23 16:00 前发出, 已过 2 小时 仍未发货",
        )

    def test_paid_at_or_after_17_00_is_due_the_day_after_next(self) -> None:
        late = self.yfw(17, 1)
        at_cutoff = self.yfw(17, 0)
        self.assertEqual(flagged("cutoff_missed", moment(23, 17)), set())
        self.assertEqual(flagged("cutoff_missed", moment(24, 15, 59)), set())
        self.assertEqual(flagged("cutoff_missed", moment(24, 16)), {late.order_no, at_cutoff.order_no})
        self.assertEqual(cutoff_deadline(late.paid_at, late.channel), moment(24, 16))

    def test_since_is_the_missed_deadline(self) -> None:
        order = self.yfw(10, 0, day=21)
        self.assertEqual(flag_of("cutoff_missed", order).since, moment(22, 16))

    def test_channels_without_a_cutoff_and_shipped_orders_are_not_flagged(self) -> None:
        OrderFactory(channel_code="pdd", paid_at=moment(20, 9))
        shipped = self.yfw(9, 0, day=20)
        shipped.status = OrderStatus.SHIPPED
        shipped.save()
        self.assertEqual(flagged("cutoff_missed"), set())


class NotAllocatedTestCase(BaseTestCase):
    def test_orders_sent_to_the_warehouse_without_complete_allocation_are_flagged(self) -> None:
        allocating = OrderFactory(status=OrderStatus.ALLOCATING, allocation="")
        partial = OrderFactory(erp_order_no="XD2611230001", allocation=Allocation.PARTIAL, allocation_raw="部分分配")
        in_wms = OrderFactory(allocation=Allocation.NONE)  # the WMS export has it, the ERP number not (yet)
        OrderFactory(erp_order_no="XD2611230002", allocation=Allocation.COMPLETE)
        OrderFactory(allocation="")  # never pushed to the warehouse
        self.assertEqual(flagged("not_allocated"), {allocating.order_no, partial.order_no, in_wms.order_no})
        self.assertEqual(message_of("not_allocated", partial), "已推送仓库, WMS 分配状态: 部分分配")


class FinishedOrderTestCase(BaseTestCase):
    def test_a_shipped_delivered_or_cancelled_order_gets_no_flags_at_all(self) -> None:
        for status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED):
            order = order_with_line(
                channel_code="yaofangwang", status=status, ship_by=moment(20, 9), paid_at=moment(19, 9),
                has_rx=True, has_tcm=True, buyer_message="请尽快发货", erp_abnormal=True, payment=Payment.COD,
                courier=Courier.STO, allocation=Allocation.PARTIAL, erp_order_no=f"XD{status}",
                line={"rx": True, "tcm": True},
            )
            self.assertEqual(rules_of(order), set(), status)

    def test_the_same_order_open_gets_the_shipping_flags(self) -> None:
        order = order_with_line(
            channel_code="yaofangwang", ship_by=moment(20, 9), paid_at=moment(19, 9), has_rx=True, has_tcm=True,
            buyer_message="请尽快发货", erp_abnormal=True, payment=Payment.COD, courier=Courier.STO,
            allocation=Allocation.PARTIAL, erp_order_no="XD1", line={"rx": True, "tcm": True},
        )
        self.assertEqual(
            rules_of(order),
            {"ship_overdue", "cutoff_missed", "cutoff_unshipped", "not_allocated", "rx_review", "tcm_spec", "buyer_note",
             "erp_exception", "cod_courier", "rx_wechat"},
        )
