"""The rules behind the routine's counting steps: 药房网's batch (cutoff_unshipped, cutoff_due_today), the 官网 push
steps (paid_to_push, cod_to_push) and logistics_stale."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from opsdesk.aftersales.models import Case, CaseState, CaseType
from opsdesk.orders.models import Channel, Order, OrderStatus, Payment, WmsRecord
from opsdesk.rules.models import RuleConfig
from opsdesk.rules.services import rx_review
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import AT, flag_of, flagged, message_of, moment, rules_of

pytestmark = pytest.mark.postgres

MORNING = moment(23, 9, 25)


def yfw(paid: datetime, **fields: object) -> Order:
    return OrderFactory(channel_code="yaofangwang", order_no=f"YF{paid:%d%H%M}", placed_at=paid, paid_at=paid,
                        ship_by=None, **fields)


class CutoffBatchTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.late = yfw(moment(21, 10))  # due 11-22 16:00: already late
        self.today = yfw(moment(22, 16, 59))  # due today 16:00
        self.day_before = yfw(moment(21, 17, 0))  # paid at the cut-off the day before: due today too
        self.tomorrow = yfw(moment(22, 17, 0))  # paid at yesterday's cut-off: due tomorrow
        self.shipped = yfw(moment(22, 9), status=OrderStatus.SHIPPED)

    def test_it_counts_every_order_paid_before_yesterday_17_00_still_unshipped(self) -> None:
        self.assertEqual(flagged("cutoff_unshipped", MORNING),
                         {self.late.order_no, self.today.order_no, self.day_before.order_no})
        self.assertEqual(flagged("cutoff_missed", MORNING), {self.late.order_no})

    def test_due_today_is_the_batch_that_must_leave_by_16_00(self) -> None:
        self.assertEqual(flagged("cutoff_due_today", MORNING), {self.today.order_no, self.day_before.order_no})

    def test_it_says_how_long_is_left_or_how_late_it_is(self) -> None:
        self.assertEqual(message_of("cutoff_unshipped", self.today, MORNING),
                         "药房网 11-22 16:59 付款, 应于 11-23 16:00 前发出, 还剩 6 小时 35 分钟, 尚未发货")
        self.assertEqual(message_of("cutoff_unshipped", self.late, MORNING),
                         "药房网 11-21 10:00 付款, 应于 11-22 16:00 前发出, 已过 17 小时 25 分钟, 尚未发货")

    def test_a_batch_is_flagged_since_the_cut_off_that_closed_it(self) -> None:
        self.assertEqual(flag_of("cutoff_due_today", self.today, MORNING).since, moment(22, 17))
        self.assertEqual(flag_of("cutoff_due_today", self.day_before, MORNING).since, moment(22, 17))
        self.assertEqual(flag_of("cutoff_unshipped", self.late, MORNING).since, moment(21, 17))

    def test_channels_without_a_cutoff_are_not_counted(self) -> None:
        OrderFactory(channel_code="pdd", paid_at=moment(20, 9))
        self.assertEqual(len(flagged("cutoff_unshipped", MORNING)), 3)


class PushTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.paid = OrderFactory(payment=Payment.PLATFORM_PAID)
        self.cod = OrderFactory(payment=Payment.COD, paid_at=None)
        OrderFactory(payment=Payment.WECHAT)
        OrderFactory(payment=Payment.COD, status=OrderStatus.ALLOCATING)  # already pushed to 配货中
        OrderFactory(channel_code="pdd", payment=Payment.PLATFORM_PAID)  # pdd's orders are not pushed by hand

    def test_the_official_filter_awaiting_shipment_and_platform_paid_is_counted(self) -> None:
        self.assertEqual(flagged("paid_to_push"), {self.paid.order_no})
        self.assertEqual(message_of("paid_to_push", self.paid),
                         "平台收款 11-23 08:00 付款, 待发货: 查看库存和客户备注后推到待发货中")

    def test_cod_orders_awaiting_shipment_are_to_push_to_allocating(self) -> None:
        self.assertEqual(flagged("cod_to_push"), {self.cod.order_no})
        self.assertEqual(message_of("cod_to_push", self.cod), "货到付款 11-23 08:00 下单, 待发货: 推到配货中 (指定中通快递)")

    def test_an_rx_order_is_to_push_only_once_a_pharmacist_approved_it(self) -> None:
        paid = OrderFactory(order_no="GW-RX-PAID", payment=Payment.PLATFORM_PAID, has_rx=True)
        cod = OrderFactory(order_no="GW-RX-COD", payment=Payment.COD, paid_at=None, has_rx=True)
        self.assertEqual((flagged("paid_to_push"), flagged("cod_to_push")), ({self.paid.order_no}, {self.cod.order_no}))
        self.assertIn("rx_review", rules_of(paid))  # where it waits meanwhile
        rx_review(order=paid, user=self.pharmacist, decision="approve", prescription="RX-PUSH-1")
        rx_review(order=cod, user=self.pharmacist, decision="reject", note="处方过期")
        self.assertEqual(flagged("paid_to_push"), {self.paid.order_no, paid.order_no})
        self.assertEqual(flagged("cod_to_push"), {self.cod.order_no})
        self.assertEqual(message_of("paid_to_push", paid),
                         "平台收款 11-23 08:00 付款, 待发货: 查看库存和客户备注后推到待发货中")

    def test_which_channels_are_pushed_by_hand_is_configuration(self) -> None:
        Channel.objects.filter(code="pdd").update(manual_push=True)
        self.assertEqual(len(flagged("paid_to_push")), 2)


class LogisticsStaleTestCase(BaseTestCase):
    def shipped(self, shipped_at: datetime, last_update: str | None = None, **fields: object) -> Order:
        values = {"status": OrderStatus.SHIPPED, **fields}
        order = OrderFactory(shipped_at=shipped_at, tracking_no="75300000001", courier="zto", courier_raw="中通快递",
                             **values)
        if last_update is not None:
            WmsRecord.objects.create(order_no=order.order_no, last_update=last_update)
        return order

    def test_no_update_for_72_hours_after_shipping_is_stale(self) -> None:
        stale = self.shipped(AT - timedelta(hours=73))
        self.shipped(AT - timedelta(hours=71))
        self.assertEqual(flagged("logistics_stale"), {stale.order_no})
        self.assertEqual(message_of("logistics_stale", stale),
                         "中通快递 75300000001 物流已 3 天 1 小时 未更新 (最后: 11-20 08:00 发货后)")

    def test_the_wms_last_update_time_counts_when_it_has_one(self) -> None:
        moved = self.shipped(AT - timedelta(days=5), "2026-11-22 18:02:11 【南京转运中心】已发出")
        stuck = self.shipped(AT - timedelta(days=2), "2026-11-19 18:02:11 【南京市】快件已揽收")
        self.assertEqual(flagged("logistics_stale"), {stuck.order_no})
        self.assertNotIn(moved.order_no, flagged("logistics_stale"))
        flag = flag_of("logistics_stale", stuck)
        self.assertEqual(flag.since, moment(19, 18, 2) + timedelta(seconds=11))
        self.assertEqual(flag.message, "中通快递 75300000001 物流已 3 天 14 小时 未更新 "
                                       "(最后: 2026-11-19 18:02:11 【南京市】快件已揽收)")

    def test_only_the_orders_own_wms_record_counts(self) -> None:
        """On SQLite the record is looked up as a range of one order number (rules/registry.py): its neighbours
        stay out, as they do where it is looked up by `=`."""
        stale = self.shipped(AT - timedelta(days=4))
        for neighbour in (stale.order_no[:-1], f"{stale.order_no}0"):
            WmsRecord.objects.create(order_no=neighbour, last_update="2026-11-23 09:00:00 【南京转运中心】已发出")
        self.assertEqual(flagged("logistics_stale"), {stale.order_no})
        self.assertEqual(message_of("logistics_stale", stale),
                         "中通快递 75300000001 物流已 4 天 未更新 (最后: 11-19 09:00 发货后)")

    def test_an_update_without_a_time_falls_back_to_the_shipped_time(self) -> None:
        stale = self.shipped(AT - timedelta(days=4), "【南京市】快件已揽收")
        self.shipped(AT - timedelta(days=1), "【南京市】快件已揽收")
        self.assertEqual(flagged("logistics_stale"), {stale.order_no})

    def test_a_parcel_registered_as_lost_leaves_the_queue_until_its_case_is_cancelled(self) -> None:
        stale = self.shipped(AT - timedelta(hours=73))
        case = Case.objects.create(type=CaseType.LOST_PARCEL, order=stale, state=CaseState.OPENED, created_at=AT)
        self.assertEqual(flagged("logistics_stale"), set())
        Case.objects.filter(pk=case.pk).update(state=CaseState.CANCELLED)
        self.assertEqual(flagged("logistics_stale"), {stale.order_no})

    def test_delivered_orders_are_never_stale_and_the_age_is_configurable(self) -> None:
        self.shipped(AT - timedelta(days=9), status=OrderStatus.DELIVERED)
        recent = self.shipped(AT - timedelta(hours=30))
        self.assertEqual(flagged("logistics_stale"), set())
        RuleConfig.objects.filter(code="logistics_stale").update(stale_hours=24)
        self.assertEqual(flagged("logistics_stale"), {recent.order_no})
