"""Case pictures in Chromium: the 不放清单 order picture copied to the clipboard (artifacts/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opsdesk.aftersales.services import case_open
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_operator_copies_the_packing_list_picture(live_server, page: Page) -> None:
    operator = user_make(role="operator")
    order = OrderFactory(order_no="GW2611230000901")
    OrderLineFactory(order=order, line_no=1, sku="SKU-AMX-24", name="阿莫西林胶囊", spec="0.25g*24粒", qty=2)
    case = case_open(type="omit_packing_list", order_no=order.order_no, user=operator)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    picture = page.locator("#packing-picture img.order-picture")
    expect(picture).to_be_visible()
    assert page.evaluate("document.querySelector('#packing-picture img').naturalWidth") > 300
    page.click("#packing-picture button:has-text('复制图片')")
    expect(page.locator("#packing-picture button[data-copy-image]")).to_have_text("已复制图片")
    copied = page.evaluate("""async () => {
        const items = await navigator.clipboard.read();
        const blob = await items[0].getType("image/png");
        const bytes = new Uint8Array(await blob.arrayBuffer());
        return {types: items[0].types, size: blob.size, magic: Array.from(bytes.slice(1, 4))};
    }""")
    assert "image/png" in copied["types"]
    assert copied["size"] > 1000
    assert bytes(copied["magic"]) == b"PNG"
    screenshot(page, "case-packing-picture.png")
