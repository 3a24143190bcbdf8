"""Case pictures in Chromium: a screenshot uploaded and one pasted into a lost-parcel claim, the 不放清单 order
picture copied to the clipboard (screenshots in artifacts/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opsdesk.aftersales.models import CaseFile
from opsdesk.aftersales.screenshots import THUMB_PIXELS
from opsdesk.aftersales.services import case_open
from opsdesk.test import user_make
from tests.aftersales.helpers import zto_order
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory, OrderLineFactory
from tests.web.test_case_screenshots import image_bytes

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


def test_service_uploads_and_pastes_screenshots_into_a_lost_parcel_claim(live_server, page: Page, tmp_path) -> None:
    service = user_make(role="service")
    zto_order()
    case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="35", user=service)
    login(page, live_server.url, "service")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    chosen = tmp_path / "交易截图.png"
    chosen.write_bytes(image_bytes(size=(800, 600), colour="orange"))
    page.set_input_files("#screenshot-form input[type=file]", str(chosen))
    page.click("#screenshot-form button:has-text('上传')")
    expect(page.locator("#screenshots img.thumb")).to_have_count(1)
    # A paste (Ctrl+V) of a copied screenshot sends it at once, as if chosen with the button.
    page.evaluate("""async () => {
        const canvas = Object.assign(document.createElement("canvas"), {width: 640, height: 400});
        const ctx = canvas.getContext("2d"); ctx.fillStyle = "#1d4ed8"; ctx.fillRect(0, 0, 640, 400);
        const blob = await new Promise(done => canvas.toBlob(done, "image/png"));
        const data = new DataTransfer();
        data.items.add(new File([blob], "image.png", {type: "image/png"}));
        document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
    }""")
    expect(page.locator("#screenshots img.thumb")).to_have_count(2)
    # Each thumbnail loads (a broken one never gets a width); the last swapped in may still be on its way. Both
    # screenshots are landscape, so each thumbnail is THUMB_PIXELS wide. (Not `wait_for_function`: its predicate is
    # compiled in the page, which the desk's CSP refuses on some Chromium builds.)
    for thumb in page.locator("#screenshots img.thumb").all():
        expect(thumb).to_have_js_property("naturalWidth", THUMB_PIXELS)
    assert sorted(CaseFile.objects.filter(case=case).values_list("name", flat=True)) == ["交易截图 image.png", "交易截图.png"]
    expect(page.locator("body")).to_contain_text("交易截图 image.png")
    screenshot(page, "case-claim-screenshots.png")
