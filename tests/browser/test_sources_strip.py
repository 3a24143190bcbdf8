"""The sources strip and stale marks on the day page in Chromium, and an upload imported by the worker with its
progress polled (screenshots in artifacts/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from opsdesk.imports.samples import write_export
from opsdesk.live.models import SourcePolicy, Upload
from opsdesk.test import user_make
from tests.browser.conftest import login, screenshot
from tests.imports.helpers import official_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_day_page_marks_stale_counts_and_fresh_ones(live_server, page: Page, tmp_path: Path) -> None:
    user_make(role="operator")
    login(page, live_server.url, "operator")
    strip = page.locator("#sources")
    expect(strip.locator("[data-source]")).to_have_count(SourcePolicy.objects.count())  # one per source
    expect(strip.locator('[data-source="wms"]')).to_contain_text("从未导入")
    expect(page.locator("#item-yfw-wms-allocated .fresh.stale")).to_contain_text("数据过期")
    screenshot(page, "day-sources-stale.png")

    # The morning's download dropped on the import page; the worker imports it while the page polls.
    page.click("nav >> text=导入")
    export = write_export(path=tmp_path / "官网订单.xlsx", source="official", rows=[official_row("GW2612010001")])
    page.set_input_files("input[name=files]", str(export))
    page.click("form.filters button[type=submit]")
    expect(page.locator("#upload")).to_contain_text("等待后台任务")
    call_command("worker", "--once")  # the live server goes on answering the polls meanwhile
    expect(page.locator("#upload")).to_contain_text("imported", timeout=15_000)
    expect(page.locator("#upload")).to_contain_text("官网订单.xlsx")
    assert Upload.objects.get().status == "done"
    screenshot(page, "imports-upload-done.png")

    page.goto(f"{live_server.url}/")
    expect(page.locator('#sources [data-source="official"]')).to_contain_text("刚刚")
    expect(page.locator('#sources [data-source="official"]')).not_to_have_class("source stale")

