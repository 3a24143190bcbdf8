"""The COD page in Chromium: count, total, warnings and the person responsible are on the page before the
download (screenshot in artifacts/)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from opsdesk.lib.dates import now
from opsdesk.orders.models import Courier, OrderStatus, Payment
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def cod(order_no: str, **fields: object) -> None:
    values = {"status": OrderStatus.ALLOCATING, "payment": Payment.COD, "paid_at": None, "courier": Courier.ZTO,
              "courier_raw": "中通快递", "tracking_no": f"731{order_no[-6:]}", "placed_at": now() - timedelta(hours=2),
              **fields}
    OrderFactory(order_no=order_no, **values)


@override_settings(COD_OWNER="王芳 025-00000000")
def test_an_operator_sees_the_cod_summary_before_downloading(live_server, page: Page) -> None:
    user_make(role="operator")
    cod("GW-COD-000901", total_amount=Decimal("59.00"))
    cod("GW-COD-000902", total_amount=Decimal("41.00"), courier=Courier.STO, courier_raw="申通快递")
    cod("GW-COD-000903", total_amount=Decimal("100.00"), tracking_no="", has_rx=True)
    login(page, live_server.url, "operator")
    page.goto(live_server.url + "/reports/cod/")
    summary = page.locator("#cod-summary")
    # GW-COD-000903 holds a prescription item nobody approved: warned and held off the sheet.
    expect(summary).to_contain_text("共 2 单, 代收货款合计 ¥100.00")
    expect(page.locator("#cod-owner")).to_have_text("王芳 025-00000000")
    expect(page.locator("#cod-warnings li")).to_have_count(3)
    expect(page.locator("#cod-warnings")).to_contain_text("GW-COD-000903: 含处方药, 尚无药师审核通过的处方")
    expect(summary.locator("tr.warned")).to_have_count(1)
    expect(summary.locator("tr", has_text="GW-COD-000903")).to_have_count(0)
    screenshot(page, "cod-summary.png")
    with page.expect_download() as download_info:
        page.click("#cod-download")
    assert download_info.value.suggested_filename == f"上元堂官网中通货到付款{now().date().isoformat()}.xlsx"
