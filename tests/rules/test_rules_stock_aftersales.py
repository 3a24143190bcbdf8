"""stock_short, returned_unrefunded, aftersales_pending."""

from __future__ import annotations

import pytest
from django.db import connection

from opsdesk.lib.queries import Holds
from opsdesk.orders.models import AfterSales, Order, OrderStatus
from opsdesk.rules.selectors import rule_queryset
from opsdesk.test import BaseTestCase
from tests.factories import ErpAftersaleFactory, OrderFactory, OrderLineFactory, ProductFactory
from tests.rules.helpers import AT, flagged, message_of, order_with_line, rules_of

pytestmark = pytest.mark.postgres


class StockShortTestCase(BaseTestCase):
    def test_open_orders_with_a_line_asking_for_more_than_stock_on_hand_are_flagged(self) -> None:
        ProductFactory(sku="A1", name="阿莫西林胶囊", stock=3)
        ProductFactory(sku="B2", stock=10)
        short = order_with_line(line={"sku": "A1", "name": "阿莫西林胶囊", "qty": 4})
        fine = [
            order_with_line(line={"sku": "A1", "qty": 3}),  # exactly the stock: fine
            order_with_line(line={"sku": "B2", "qty": 2}),
            order_with_line(status=OrderStatus.SHIPPED, line={"sku": "A1", "qty": 5}),  # already left
            order_with_line(status=OrderStatus.UNPAID, line={"sku": "A1", "qty": 5}),  # not to be shipped yet
        ]
        self.assertEqual(flagged("stock_short"), {short.order_no})
        self.assertEqual(message_of("stock_short", short), "A1 阿莫西林胶囊 需 4, 可用库存仅 3")
        # The order page tests one order its own way (Check.one_order) and must agree with the queue.
        self.assertEqual([order for order in fine if "stock_short" in rules_of(order)], [])

    def test_the_short_line_is_named_among_several(self) -> None:
        ProductFactory(sku="A1", stock=50)
        ProductFactory(sku="C3", stock=0)
        order = order_with_line(line={"sku": "A1", "name": "板蓝根", "qty": 1})
        OrderLineFactory(order=order, line_no=2, sku="C3", name="连花清瘟胶囊", qty=1)
        self.assertEqual(flagged("stock_short"), {order.order_no})
        self.assertEqual(message_of("stock_short", order), "C3 连花清瘟胶囊 需 1, 可用库存仅 0")

    def test_unknown_stock_or_unknown_products_flag_nothing(self) -> None:
        ProductFactory(sku="B2", stock=None)
        orders = [order_with_line(line={"sku": "B2", "qty": 9}), order_with_line(line={"sku": "NOT-A-PRODUCT", "qty": 9})]
        self.assertEqual(flagged("stock_short"), set())
        self.assertFalse(any("stock_short" in rules_of(order) for order in orders))


class ReturnedUnrefundedTestCase(BaseTestCase):
    def test_a_return_back_in_the_warehouse_and_not_refunded_is_flagged(self) -> None:
        by_no = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDING)
        ErpAftersaleFactory(online_order_no=by_no.order_no, note="售后处理:新建售后单【SH0001】")
        by_erp = OrderFactory(status=OrderStatus.DELIVERED, erp_order_no="XD9001")
        ErpAftersaleFactory(erp_order_no="XD9001", note="售后处理:新建售后单【SH0002】")
        refunded = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDED)
        ErpAftersaleFactory(online_order_no=refunded.order_no, note="售后处理:新建售后单【SH0004】")
        other = OrderFactory(status=OrderStatus.SHIPPED)
        ErpAftersaleFactory(online_order_no=other.order_no, note="买家拒收, 待退回")
        self.assertEqual(flagged("returned_unrefunded"), {by_no.order_no, by_erp.order_no})
        self.assertEqual(message_of("returned_unrefunded", by_no), "万里牛已新建售后单【SH0001】, 退货已入库, 尚未退款")
        self.assertIn("【SH0002】", message_of("returned_unrefunded", by_erp))

    def test_the_marker_in_the_orders_seller_note_counts_too_and_an_empty_marker_does_not(self) -> None:
        by_note = OrderFactory(status=OrderStatus.SHIPPED, erp_note="退回 售后处理:新建售后单【SH0005】 已入库")
        OrderFactory(status=OrderStatus.SHIPPED, erp_note="售后处理:新建售后单【】")
        empty = OrderFactory(status=OrderStatus.SHIPPED)
        ErpAftersaleFactory(online_order_no=empty.order_no, note="新建售后单【 还没有单号")
        self.assertEqual(flagged("returned_unrefunded"), {by_note.order_no})
        self.assertEqual(message_of("returned_unrefunded", by_note), "万里牛已新建售后单【SH0005】, 退货已入库, 尚未退款")
        self.assertEqual(rules_of(by_note) & {"returned_unrefunded"}, {"returned_unrefunded"})


    def test_the_order_page_agrees_with_the_queue(self) -> None:
        by_no = OrderFactory(status=OrderStatus.SHIPPED)
        ErpAftersaleFactory(online_order_no=by_no.order_no, note="售后处理:新建售后单【SH0001】")
        by_note = OrderFactory(status=OrderStatus.SHIPPED, erp_note="售后处理:新建售后单【SH0005】")
        refunded = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDED, erp_note="新建售后单【SH6】")
        plain = OrderFactory(status=OrderStatus.SHIPPED, erp_note="新建售后单 SH7")
        self.assertEqual({o.order_no for o in (by_no, by_note, refunded, plain) if "returned_unrefunded" in rules_of(o)},
                         flagged("returned_unrefunded"))

    def test_the_queue_finds_marked_seller_notes_through_their_partial_index(self) -> None:
        queue = rule_queryset(code="returned_unrefunded", at=AT).values("pk")
        self.assertIn("LIKE '%新建售后单【%'", str(queue.query))  # written out, as the index's condition is
        if connection.vendor == "sqlite":  # PostgreSQL reads a table this small from start to end anyway
            self.assertIn("order_erp_note_return", queue.explain())

    def test_holds_takes_plain_text_only(self) -> None:
        for text in ("", "50%", "a_b", "it's", "back\\slash"):
            with self.assertRaises(ValueError):
                Holds("erp_note", text)
        self.assertEqual(Order.objects.filter(Holds("erp_note", "新建售后单【")).count(), 0)


class AftersalesPendingTestCase(BaseTestCase):
    def test_pending_and_refunding_requests_are_flagged_whatever_the_order_status(self) -> None:
        pending = OrderFactory(aftersales=AfterSales.PENDING, aftersales_raw="售后处理中")
        refunding = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDING)
        for state in (AfterSales.NONE, AfterSales.REFUNDED, AfterSales.CLOSED):
            OrderFactory(aftersales=state)
        self.assertEqual(flagged("aftersales_pending"), {pending.order_no, refunding.order_no})
        self.assertEqual(message_of("aftersales_pending", pending), "售后状态「售后处理中」, 退款/退货申请待处理")
