"""A re-import that changes an order's lines keeps the old ones (OrderLineHistory) and says so on the order; one
that changes only the order's row (a status, a tracking number) leaves its lines as they are."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opsdesk.orders.models import Order, OrderEvent, OrderLineHistory, Product
from opsdesk.rules.models import RxReview
from opsdesk.rules.services import rx_review
from opsdesk.test import user_make
from tests.imports.helpers import import_rows, official_row
from tests.rules.helpers import flagged, moment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NO = "GW2611230101"


def two_lines(**second: str) -> list[dict[str, str]]:
    return [official_row(NO), official_row(NO, **{"商品编码": "SKU-B", "商品名称": "连花清瘟胶囊", "数量": "1",
                                                  "单价": "25.00", **second})]


def test_changed_lines_are_kept_in_the_history_with_an_event(tmp_path: Path) -> None:
    assert import_rows(tmp_path, "早.xlsx", "official", two_lines()).status == "imported"
    result = import_rows(tmp_path, "晚.xlsx", "official", two_lines(商品编码="SKU-C", 数量="3"))
    assert (result.status, result.updated) == ("imported", 1)
    order = Order.objects.get(order_no=NO)
    assert list(order.lines.values_list("line_no", "sku", "qty")) == [(1, "SKU-A", 2), (2, "SKU-C", 3)]
    kept = OrderLineHistory.objects.filter(order=order).order_by("line_no")
    assert [(line.line_no, line.sku, line.name, line.qty, line.price) for line in kept] == [
        (1, "SKU-A", "感冒灵颗粒", 2, Decimal("25.50")), (2, "SKU-B", "连花清瘟胶囊", 1, Decimal("25.00"))]
    assert len({line.replaced_at for line in kept}) == 1
    event = OrderEvent.objects.get(order=order, kind="lines_changed")
    assert event.text == "导入更新了订单明细: 原 SKU-A×2、SKU-B×1; 现 SKU-A×2、SKU-C×3 (原明细见明细历史)"
    assert event.at == kept[0].replaced_at and event.user is None


def test_each_change_keeps_its_own_lines(tmp_path: Path) -> None:
    import_rows(tmp_path, "1.xlsx", "official", two_lines())
    import_rows(tmp_path, "2.xlsx", "official", two_lines(单价="26.00"))  # a price alone is a change too
    import_rows(tmp_path, "3.xlsx", "official", [official_row(NO)])
    order = Order.objects.get(order_no=NO)
    assert list(order.lines.values_list("sku", "price")) == [("SKU-A", Decimal("25.50"))]
    moments = sorted({line.replaced_at for line in order.line_history.all()})
    assert [list(order.line_history.filter(replaced_at=at).values_list("sku", "price")) for at in moments] == [
        [("SKU-A", Decimal("25.50")), ("SKU-B", Decimal("25.00"))],
        [("SKU-A", Decimal("25.50")), ("SKU-B", Decimal("26.00"))]]
    texts = list(order.events.filter(kind="lines_changed").order_by("at", "id").values_list("text", flat=True))
    assert texts == ["导入更新了订单明细 (SKU-A×2、SKU-B×1) 的名称、规格或价格 (原明细见明细历史)",
                     "导入更新了订单明细: 原 SKU-A×2、SKU-B×1; 现 SKU-A×2 (原明细见明细历史)"]


def test_an_order_whose_lines_did_not_change_keeps_them_untouched(tmp_path: Path) -> None:
    import_rows(tmp_path, "早.xlsx", "official", two_lines())
    before = list(Order.objects.get(order_no=NO).lines.values_list("id", flat=True))
    shipped = [{**row, "订单处理状态": "已发货", "快递公司": "中通快递", "快递单号": "75300000000101"} for row in two_lines()]
    assert import_rows(tmp_path, "晚.xlsx", "official", shipped).updated == 1
    order = Order.objects.get(order_no=NO)
    assert order.status == "shipped"
    assert list(order.lines.values_list("id", flat=True)) == before
    assert not OrderLineHistory.objects.exists()
    assert not OrderEvent.objects.filter(kind="lines_changed").exists()


def test_an_approved_rx_order_re_imported_with_other_rx_lines_needs_a_review_again(tmp_path: Path) -> None:
    Product.objects.create(sku="SKU-A", rx=True)
    Product.objects.create(sku="SKU-C", rx=True)
    import_rows(tmp_path, "早.xlsx", "official", two_lines())
    order = Order.objects.get(order_no=NO)
    review = rx_review(order=order, user=user_make(role="pharmacist"), decision="approve", prescription="RX-101")
    assert review.lines == [{"sku": "SKU-A", "qty": 2}]
    import_rows(tmp_path, "晚.xlsx", "official", two_lines(商品编码="SKU-C"))
    review.refresh_from_db()
    assert review.voided_at is not None and "审核时 SKU-A×2, 现在 SKU-A×2、SKU-C×1" in review.void_reason
    assert RxReview.objects.count() == 1  # voided, kept
    assert flagged("rx_review", moment(23, 12)) == {NO}
    assert {"lines_changed", "rx_reopened"} <= set(order.events.values_list("kind", flat=True))
