"""The desk in Debian's headless Chromium: each role logs in, htmx sign-off, prescription review, COD download,
screenshots of the day page and an order page (artifacts/)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from opsdesk.checklist.models import SignOff
from opsdesk.imports.samples import write_export
from opsdesk.lib.dates import now
from opsdesk.orders.models import Courier, OrderStatus, Payment
from opsdesk.rules.models import RxReview
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def rx_order() -> str:
    order = OrderFactory(
        order_no="GW-RX-900", has_rx=True, has_tcm=True, receiver_name="王五", receiver_phone="13512345678",
        buyer_message="请用顺丰", placed_at=now() - timedelta(hours=30), ship_by=now() - timedelta(hours=2),
        erp_order_no="XD2611230900", allocation="complete", allocation_raw="分配完成", warehouse="南京仓",
    )
    OrderLineFactory(order=order, line_no=1, name="阿莫西林胶囊", spec="0.25g*24粒", rx=True)
    OrderLineFactory(order=order, line_no=2, name="当归", spec="10g", tcm=True)
    return f"/orders/official/{order.order_no}/"


def test_each_role_logs_in_and_sees_its_role(live_server, page: Page) -> None:
    for role, label in (("operator", "运营"), ("service", "客服"), ("pharmacist", "药师"), ("admin", "管理员")):
        user_make(role=role)
        login(page, live_server.url, role)
        expect(page.locator("header .user")).to_contain_text(label)
        page.click("header form button:has-text('退出')")
        page.wait_for_url("**/accounts/login/")


def test_an_operator_signs_off_an_item_without_a_reload(live_server, page: Page) -> None:
    user_make(role="operator")
    OrderFactory(order_no="GW-LATE-1", ship_by=now() - timedelta(hours=1))
    login(page, live_server.url, "operator")
    page.evaluate("window.__stayed = true")
    row = page.locator("#item-erp-auto-audit")
    expect(page.locator("#checklist-summary")).to_contain_text("已签核 0/")
    row.locator("input[name=note]").fill("已确认自动审核")
    row.locator("button:has-text('签核')").click()
    expect(page.locator("#item-erp-auto-audit")).to_contain_text("已确认自动审核")
    expect(page.locator("#item-erp-auto-audit")).to_have_class("signed")
    expect(page.locator("#checklist-summary")).to_contain_text("已签核 1/")
    assert page.evaluate("window.__stayed") is True
    assert SignOff.objects.get().note == "已确认自动审核"
    screenshot(page, "day.png")


def test_a_pharmacist_approves_and_service_is_refused(live_server, page: Page) -> None:
    user_make(role="pharmacist")
    user_make(role="service")
    url = rx_order()
    login(page, live_server.url, "pharmacist")
    page.goto(live_server.url + url)
    page.evaluate("window.__stayed = true")
    page.fill("#rx-review input[name=prescription]", "RX-2026-001")
    page.click("#rx-review button[value=approve]")
    expect(page.locator("#checks")).to_contain_text("RX-2026-001")
    expect(page.locator("#events")).to_contain_text("rx_review")  # the history follows out of band
    assert page.evaluate("window.__stayed") is True
    assert RxReview.objects.get().reviewer.username == "pharmacist"
    screenshot(page, "order.png")

    page.click("header form button:has-text('退出')")
    login(page, live_server.url, "service")
    page.goto(live_server.url + url)
    expect(page.locator("#rx-review")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(live_server.url + url + "rx-review/", form={"decision": "approve"},
                               headers={"X-CSRFToken": token, "Referer": live_server.url + url})
    assert answer.status == 403
    assert RxReview.objects.count() == 1


def test_an_operator_downloads_the_cod_sheet(live_server, page: Page) -> None:
    user_make(role="operator")
    OrderFactory(order_no="GW-COD-900", status=OrderStatus.ALLOCATING, payment=Payment.COD, paid_at=None,
                 placed_at=now() - timedelta(hours=2), courier=Courier.ZTO, tracking_no="73100000000900")
    login(page, live_server.url, "operator")
    page.goto(live_server.url + "/reports/cod/")
    page.fill("input[name=day]", now().date().isoformat())
    page.click("button:has-text('查看')")
    with page.expect_download() as download_info:
        page.click("#cod-download")
    download = download_info.value
    assert download.suggested_filename == f"上元堂官网中通货到付款{now().date().isoformat()}.xlsx"
    assert download.path().stat().st_size > 1000


def test_an_operator_uploads_a_bad_file_and_sees_row_and_column(live_server, page: Page, tmp_path) -> None:
    user_make(role="operator")
    row = {"订单编号": "2.61122E+20", "下单时间": "2026-11-23 09:00:00", "订单状态": "已付款", "订单处理状态": "待发货",
           "订单支付方式": "微信支付", "商品编码": "SKU-1", "商品名称": "板蓝根颗粒", "数量": "1", "订单金额": "20.00"}
    path = write_export(path=tmp_path / "官网订单.csv", source="official", rows=[row])
    login(page, live_server.url, "operator")
    page.click("nav a:has-text('导入')")
    page.set_input_files("input[name=files]", str(path))
    page.click("form button:has-text('导入')")
    call_command("worker", "--once")  # the page polls while the worker imports
    result = page.locator("section.result")
    expect(result).to_contain_text("官网订单.csv")
    expect(result).to_contain_text("rejected")
    expect(result.locator("table.errors td.row").first).to_have_text("2")
    expect(result.locator("table.errors td.column").first).to_have_text("订单编号")
