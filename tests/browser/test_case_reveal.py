"""In Chromium, under the Content-Security-Policy: the case page shows the courier report masked; its copy
button fetches the full text (logged on the order), swaps it in and copies it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opsdesk.aftersales.services import case_open
from opsdesk.orders.models import OrderEvent
from opsdesk.orders.services import PHONE_REVEALED
from opsdesk.test import user_make
from tests.aftersales.helpers import zto_order
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_copy_button_reveals_logs_and_copies(live_server, page: Page) -> None:
    service = user_make(role="service")
    order = zto_order()
    case = case_open(type="lost_parcel", order_no=order.order_no, amount="5", user=service)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server.url, "service")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    report = page.locator("#message-1")
    expect(report).to_contain_text("139****0000")
    assert "13900000000" not in page.content()
    page.locator("button[data-copy='message-1']").click()
    expect(report).to_contain_text("13900000000")
    expect(page.locator("button[data-copy='message-1']")).to_have_class("secondary copy small copied")
    assert OrderEvent.objects.filter(order=order, kind=PHONE_REVEALED, user=service).count() == 1
    screenshot(page, "case-revealed.png")
    assert not [text for text in errors if "Content Security Policy" in text], errors
