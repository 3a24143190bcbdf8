"""A queue worked without opening each order, in Chromium: the rows' facts, the queue as XLSX, one row cleared in
place and the rest selected and cleared at once (screenshot in artifacts/)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from opsdesk.rules.models import Acknowledgement
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_operator_reads_and_acknowledges_a_page_of_notes_at_once(live_server, page: Page) -> None:
    user_make(role="operator")
    for n in range(3):
        order = OrderFactory(order_no=f"GW-NOTE-{n}", buyer_message=f"请周{n + 1}送货", seller_note="发顺丰")
        OrderLineFactory(order=order, line_no=1, sku=f"SKU-{n}", name="当归", spec="10g", tcm=True)
    login(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/exceptions/buyer_note/")
    expect(page.locator("table.queue")).to_contain_text("买家留言: 请周2送货")
    expect(page.locator("table.queue")).to_contain_text("SKU-1 当归 10g ×1")
    screenshot(page, "queue-buyer-note.png")
    with page.expect_download() as download:
        page.click("#queue-download")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.value.path().read_bytes())).get_sheet_by_index(0).to_python()
    assert sorted(row[1] for row in rows[1:]) == ["GW-NOTE-0", "GW-NOTE-1", "GW-NOTE-2"]
    page.evaluate("window.__stayed = true")
    page.locator("tr:has-text('GW-NOTE-0') button[name=one]").click()  # one row, in place
    expect(page.locator("tr.cleared")).to_contain_text("✓ GW-NOTE-0")
    assert page.evaluate("window.__stayed") is True
    page.check("[data-select-all=orders]")
    expect(page.locator("input[name=orders]:checked")).to_have_count(2)
    page.click("#queue-form button[name=bulk]")
    expect(page.locator(".msg.success")).to_contain_text("已处理 2 单")
    expect(page.locator("table.queue")).to_contain_text("这个队列是空的")
    assert Acknowledgement.objects.count() == 3
