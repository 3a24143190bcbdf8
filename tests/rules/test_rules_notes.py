"""buyer_note, erp_exception, cod_courier."""

from __future__ import annotations

import pytest

from opsdesk.orders.models import Courier, OrderStatus, Payment
from opsdesk.rules.services import order_ack
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import flagged, message_of

pytestmark = pytest.mark.postgres


class BuyerNoteTestCase(BaseTestCase):
    def test_orders_with_a_message_or_note_are_flagged_until_acknowledged(self) -> None:
        message = OrderFactory(buyer_message="请用顺丰")
        note = OrderFactory(seller_note="送货前电话联系", status=OrderStatus.UNPAID)
        OrderFactory(buyer_message="", seller_note="")
        self.assertEqual(flagged("buyer_note"), {message.order_no, note.order_no})
        self.assertEqual(message_of("buyer_note", message), "买家留言: 「请用顺丰」")
        order_ack(order=message, user=self.service)
        self.assertEqual(flagged("buyer_note"), {note.order_no})

    def test_a_changed_note_brings_the_flag_back(self) -> None:
        order = OrderFactory(buyer_message="请用顺丰", seller_note="")
        order_ack(order=order, user=self.service)
        order.seller_note = "已改地址"
        order.save()
        self.assertEqual(flagged("buyer_note"), {order.order_no})
        self.assertEqual(
            message_of("buyer_note", order), "留言已更改, 需重新确认 · 买家留言: 「请用顺丰」 · 客户备注: 「已改地址」"
        )
        order_ack(order=order, user=self.operator)
        self.assertEqual(flagged("buyer_note"), set())

    def test_a_later_import_that_leaves_the_note_alone_keeps_it_acknowledged(self) -> None:
        order = OrderFactory(buyer_message="请用顺丰")
        order_ack(order=order, user=self.service)
        order.status = OrderStatus.ALLOCATING
        order.save()  # updated_at is now after the acknowledgement: the text's hash decides
        self.assertEqual(flagged("buyer_note"), set())

    def test_long_notes_are_shortened_in_the_message(self) -> None:
        order = OrderFactory(buyer_message="很长的留言" * 20)
        self.assertTrue(message_of("buyer_note", order).endswith("…」"))


class ErpExceptionTestCase(BaseTestCase):
    def test_abnormal_orders_are_flagged_with_the_reason(self) -> None:
        abnormal = OrderFactory(erp_abnormal=True, erp_abnormal_reason="地址不全")
        OrderFactory(erp_abnormal=False)
        OrderFactory(erp_abnormal=True, status=OrderStatus.CANCELLED)
        self.assertEqual(flagged("erp_exception"), {abnormal.order_no})
        self.assertEqual(message_of("erp_exception", abnormal), "万里牛标记异常: 地址不全")


class CodCourierTestCase(BaseTestCase):
    def test_cod_orders_not_set_to_ship_by_zto_are_flagged(self) -> None:
        sto = OrderFactory(payment=Payment.COD, courier=Courier.STO, courier_raw="申通快递")
        unset = OrderFactory(payment=Payment.COD, courier="")
        OrderFactory(payment=Payment.COD, courier=Courier.ZTO)
        OrderFactory(payment=Payment.PLATFORM_PAID, courier=Courier.STO)
        self.assertEqual(flagged("cod_courier"), {sto.order_no, unset.order_no})
        self.assertEqual(message_of("cod_courier", sto), "货到付款订单快递为 申通快递, 须走中通快递")
        self.assertEqual(message_of("cod_courier", unset), "货到付款订单尚未指定快递, 须走中通快递")
