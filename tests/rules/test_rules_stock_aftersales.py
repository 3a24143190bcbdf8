"""stock_short, returned_unrefunded, aftersales_pending."""

from __future__ import annotations

import pytest

from opsdesk.orders.models import AfterSales, OrderStatus
from opsdesk.test import BaseTestCase
from tests.factories import ErpAftersaleFactory, OrderFactory, ProductFactory
from tests.rules.helpers import flagged, message_of, order_with_line

pytestmark = pytest.mark.postgres


class StockShortTestCase(BaseTestCase):
    def test_every_open_order_of_a_sku_whose_open_demand_exceeds_stock_is_flagged(self) -> None:
        ProductFactory(sku="A1", name="阿莫西林胶囊", stock=3)
        first = order_with_line(line={"sku": "A1", "qty": 2})
        second = order_with_line(line={"sku": "A1", "qty": 2})
        order_with_line(status=OrderStatus.SHIPPED, line={"sku": "A1", "qty": 5})  # already left: not demand
        self.assertEqual(flagged("stock_short"), {first.order_no, second.order_no})
        self.assertEqual(message_of("stock_short", first), "A1 阿莫西林胶囊 可用库存 3, 待发订单共需 4")

    def test_stock_that_covers_the_demand_or_unknown_stock_flags_nothing(self) -> None:
        ProductFactory(sku="A1", stock=4)
        ProductFactory(sku="B2", stock=None)
        order_with_line(line={"sku": "A1", "qty": 2})
        order_with_line(line={"sku": "A1", "qty": 2})
        order_with_line(line={"sku": "B2", "qty": 9})
        order_with_line(line={"sku": "NOT-A-PRODUCT", "qty": 9})
        self.assertEqual(flagged("stock_short"), set())

    def test_out_of_stock_flags_a_single_unit(self) -> None:
        ProductFactory(sku="C3", stock=0)
        order = order_with_line(line={"sku": "C3", "qty": 1})
        self.assertEqual(flagged("stock_short"), {order.order_no})


class ReturnedUnrefundedTestCase(BaseTestCase):
    def test_a_return_back_in_the_warehouse_and_not_refunded_is_flagged(self) -> None:
        by_no = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDING)
        ErpAftersaleFactory(online_order_no=by_no.order_no, note="售后处理:新建售后单【SH0001】")
        by_erp = OrderFactory(status=OrderStatus.DELIVERED, erp_order_no="XD9001")
        ErpAftersaleFactory(erp_order_no="XD9001", note="售后处理:新建售后单【SH0002】")
        by_note = OrderFactory(status=OrderStatus.SHIPPED, erp_note="售后处理:新建售后单【SH0003】")
        refunded = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDED)
        ErpAftersaleFactory(online_order_no=refunded.order_no, note="售后处理:新建售后单【SH0004】")
        other = OrderFactory(status=OrderStatus.SHIPPED)
        ErpAftersaleFactory(online_order_no=other.order_no, note="买家拒收, 待退回")
        self.assertEqual(flagged("returned_unrefunded"), {by_no.order_no, by_erp.order_no, by_note.order_no})
        self.assertEqual(message_of("returned_unrefunded", by_no), "万里牛已新建售后单【SH0001】, 退货已入库, 尚未退款")
        self.assertIn("【SH0003】", message_of("returned_unrefunded", by_note))


class AftersalesPendingTestCase(BaseTestCase):
    def test_pending_and_refunding_requests_are_flagged_whatever_the_order_status(self) -> None:
        pending = OrderFactory(aftersales=AfterSales.PENDING, aftersales_raw="售后处理中")
        refunding = OrderFactory(status=OrderStatus.SHIPPED, aftersales=AfterSales.REFUNDING)
        for state in (AfterSales.NONE, AfterSales.REFUNDED, AfterSales.CLOSED):
            OrderFactory(aftersales=state)
        self.assertEqual(flagged("aftersales_pending"), {pending.order_no, refunding.order_no})
        self.assertEqual(message_of("aftersales_pending", pending), "售后状态「售后处理中」, 退款/退货申请待处理")
