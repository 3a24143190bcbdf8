"""A stock import that makes a product Rx re-checks the orders with a line of it: one not yet shipped without an
approval covering its Rx lines goes (back) to rx_review with an event saying why; a shipped one is only flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsdesk.orders.models import Order, OrderEvent, OrderStatus, Product
from opsdesk.rules.models import RxReview
from opsdesk.rules.services import rx_review
from opsdesk.test import user_make
from tests.factories import OrderFactory, OrderLineFactory
from tests.imports.helpers import import_rows, stock_row
from tests.rules.helpers import flagged

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def order_of(order_no: str, *lines: tuple[str, int, bool], **fields: Any) -> Order:
    order = OrderFactory(order_no=order_no, has_rx=any(rx for _, _, rx in lines), **fields)
    for number, (sku, qty, rx) in enumerate(lines, start=1):
        OrderLineFactory(order=order, line_no=number, sku=sku, qty=qty, rx=rx)
    return order


def stock_import(folder: Path, name: str, *rows: dict[str, str]) -> None:
    assert import_rows(folder, name, "stock", list(rows)).status == "imported"


@pytest.fixture
def pharmacist() -> Any:
    return user_make(role="pharmacist")


def kinds(order: Order) -> list[str]:
    return list(OrderEvent.objects.filter(order=order).order_by("id").values_list("kind", flat=True))


def test_an_open_order_without_a_review_needs_one_with_an_event(tmp_path: Path) -> None:
    Product.objects.create(sku="SKU-N", rx=False)
    order = order_of("GW800", ("SKU-N", 2, False))
    assert flagged("rx_review") == set()
    stock_import(tmp_path, "库存.xlsx", stock_row("SKU-N", "5", rx="是"))
    order.refresh_from_db()
    assert order.has_rx and flagged("rx_review") == {"GW800"}
    event = OrderEvent.objects.get(order=order)
    assert (event.kind, event.text) == (
        "rx_reopened", "商品 SKU-N 已改为处方药 (库存导入): 现在含处方药 SKU-N×2, 需药师审核处方后才能发货")


def test_an_approval_that_does_not_cover_the_new_rx_line_is_voided(tmp_path: Path, pharmacist: Any) -> None:
    order = order_of("GW801", ("RX-A", 1, True), ("SKU-NEW", 3, False))  # SKU-NEW: no product known yet
    review = rx_review(order=order, user=pharmacist, decision="approve", prescription="RX-801")
    assert flagged("rx_review") == set()
    stock_import(tmp_path, "库存.xlsx", stock_row("SKU-NEW", "5", rx="是"))
    review.refresh_from_db()
    assert review.voided_at is not None
    assert review.void_reason == ("商品 SKU-NEW 已改为处方药 (库存导入): 审核时 RX-A×1, 现在 RX-A×1、SKU-NEW×3, "
                                  "需药师重新审核")
    assert RxReview.objects.count() == 1 and flagged("rx_review") == {"GW801"}
    assert kinds(order) == ["rx_review", "rx_reopened"]
    rx_review(order=order, user=pharmacist, decision="approve", prescription="RX-801")  # the new lines, approved
    assert flagged("rx_review") == set()


def test_a_shipped_order_is_only_flagged_in_its_history(tmp_path: Path, pharmacist: Any) -> None:
    order = order_of("GW802", ("RX-A", 1, True), ("SKU-N", 1, False), status=OrderStatus.SHIPPED)
    review = rx_review(order=order, user=pharmacist, decision="approve", prescription="RX-802")
    unreviewed = order_of("GW803", ("SKU-N", 4, False), status=OrderStatus.DELIVERED)
    cancelled = order_of("GW804", ("SKU-N", 1, False), status=OrderStatus.CANCELLED)
    stock_import(tmp_path, "库存.xlsx", stock_row("SKU-N", "5", rx="是"))
    review.refresh_from_db()
    assert review.voided_at is None
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED
    assert kinds(order) == ["rx_review", "rx_shipped_uncovered"]
    assert OrderEvent.objects.get(order=unreviewed).text == (
        "商品 SKU-N 已改为处方药 (库存导入): 订单已发货, 发货前的处方审核未包括现在的处方药 SKU-N×4, 请药师核查")
    assert kinds(cancelled) == []


def test_a_stock_import_that_changes_no_rx_flag_re_checks_nothing(tmp_path: Path, pharmacist: Any) -> None:
    order = order_of("GW805", ("SKU-N", 1, False), ("RX-A", 1, True))
    Product.objects.create(sku="RX-A", rx=True)
    rx_review(order=order, user=pharmacist, decision="approve", prescription="RX-805")
    stock_import(tmp_path, "库存1.xlsx", stock_row("RX-A", "3", rx="是"), stock_row("SKU-N", "3"))
    stock_import(tmp_path, "库存2.xlsx", stock_row("RX-A", "2", rx="是"), stock_row("SKU-N", "2"))
    assert kinds(order) == ["rx_review"] and flagged("rx_review") == set()
