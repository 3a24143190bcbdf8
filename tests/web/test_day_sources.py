"""The day page's sources strip, and the freshness of each count: stale when a source it reads is stale."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import SHANGHAI
from opsdesk.test import BaseTestCase
from tests.imports.helpers import import_rows, official_row, wms_row

pytestmark = pytest.mark.postgres

AT = "2026-11-23T09:25"


def refreshed(source: str, rows: list[dict[str, str]], hhmm: str) -> None:
    with TemporaryDirectory() as folder:
        import_rows(Path(folder), f"{source}.xlsx", source, rows)
    moment = datetime.fromisoformat(f"2026-11-23T{hhmm}").replace(tzinfo=SHANGHAI)
    ImportRecord.objects.filter(source=source).update(at=moment)


def item_row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="item-{code}".*?</tr>', html, re.S)
    assert match, code
    return match.group(0)


class DaySourcesTestCase(BaseTestCase):
    def test_it_shows_all_twelve_sources_with_their_age(self) -> None:
        refreshed("official", [official_row("GW1")], "09:13")
        self.client.force_login(self.admin)  # staff may look at another moment (?at=)
        html = self.client.get("/", {"at": AT}).content.decode()
        assert html.count("data-source=") == 12
        official = re.search(r'<span class="source" data-source="official".*?</span>\s*$', html, re.S | re.M)
        assert official and "12 分钟前" in official.group(0)
        assert 'data-source="wms"' in html and "从未导入" in html

    def test_a_count_whose_sources_are_stale_is_marked(self) -> None:
        refreshed("official", [official_row("GW1")], "09:13")
        self.client.force_login(self.admin)  # staff may look at another moment (?at=)
        html = self.client.get("/", {"at": AT}).content.decode()
        # 官网 push: only the official orders, fresh; WMS allocation on 药房网: both never imported.
        stock = item_row(html, "official-customer-notes")
        assert 'class="fresh stale"' in stock and "万里牛订单" in stock  # buyer_note reads the ERP's notes too
        yfw = item_row(html, "yfw-wms-allocated")
        assert "⚠ 数据过期" in yfw and "药房网" in yfw and "WMS" in yfw

    def test_a_count_whose_sources_are_fresh_says_when(self) -> None:
        refreshed("yaofangwang", [], "09:00")
        refreshed("wms", [wms_row("YFW1", "XD1")], "09:05")
        self.client.force_login(self.admin)  # staff may look at another moment (?at=)
        yfw = item_row(self.client.get("/", {"at": AT}).content.decode(), "yfw-wms-allocated")
        assert '<span class="fresh" title="数据更新于 2026-11-23 09:00">09:00</span>' in yfw

    def test_a_failed_import_shows_on_the_strip(self) -> None:
        with TemporaryDirectory() as folder:
            import_rows(Path(folder), "坏.xlsx", "official", [official_row("GW2", 订单金额="abc")])
        ImportRecord.objects.update(at=datetime(2026, 11, 23, 9, 20, tzinfo=SHANGHAI))
        self.client.force_login(self.admin)  # staff may look at another moment (?at=)
        html = self.client.get("/", {"at": AT}).content.decode()
        assert re.search(r'data-source="official"[^>]*title="[^"]*失败: [^"]*坏.xlsx', html)

    def test_the_strip_is_read_once_and_anew_after_an_import(self) -> None:
        self.client.force_login(self.operator)  # the live desk, shared between people
        assert 'data-source="official"' in self.client.get("/").content.decode()
        with CaptureQueriesContext(connection) as seen:
            self.client.get("/exceptions/")
        assert not [query for query in seen.captured_queries if "live_sourcepolicy" in query["sql"]]
        refreshed("official", [official_row("GW1")], "09:13")
        html = self.client.get("/").content.decode()
        official = re.search(r'data-source="official".*?</span>\s*$', html, re.S | re.M)
        assert official and "从未导入" not in official.group(0)

    def test_the_queue_tiles_carry_the_marks(self) -> None:
        self.client.force_login(self.operator)
        html = self.client.get("/exceptions/").content.decode()
        tiles = re.findall(r'<a href="/exceptions/(\w+)/".*?</a>', html, re.S)
        assert len(tiles) >= 13
        # Nothing imported yet: every count is stale but the complaints', which read the desk's own cases.
        stale = re.findall(r'<a href="/exceptions/(\w+)/"[^>]*>(?:(?!</a>).)*⚠ 数据过期.*?</a>', html, re.S)
        assert set(tiles) - set(stale) == {"complaint_due"}

    def test_a_tile_is_stale_only_for_the_channels_its_rule_can_flag(self) -> None:
        refreshed("yaofangwang", [], "09:00")
        self.client.force_login(self.admin)  # staff may look at another moment (?at=)
        html = self.client.get("/exceptions/", {"at": AT}).content.decode()
        tile = re.search(r'<a href="/exceptions/cutoff_unshipped/.*?</a>', html, re.S)
        assert tile and "⚠ 数据过期" not in tile.group(0) and "09:00" in tile.group(0)  # 药房网's cut-off only
        tile = re.search(r'<a href="/exceptions/ship_overdue/.*?</a>', html, re.S)
        assert tile and "⚠ 数据过期" in tile.group(0)  # every channel: the others were never imported
