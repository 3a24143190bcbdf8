"""A real stock import (the importer's `stock` source) creates the take-down and put-up tasks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from opsdesk.aftersales.models import StockoutTask
from opsdesk.aftersales.services import stockout_task_done
from opsdesk.imports.samples import write_export
from opsdesk.imports.services import import_file
from opsdesk.test import BaseTestCase
from tests.factories import ListingFactory, ProductFactory

pytestmark = pytest.mark.postgres


class StockImportTestCase(BaseTestCase):
    def stock_import(self, name: str, stock: str) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        row = {"商品编码": "P-IMP", "商品名称": "连花清瘟胶囊", "规格": "24粒", "可用库存": stock, "处方药": "否", "中药": "否"}
        path = write_export(path=folder / name, source="stock", rows=[row])
        result = import_file(path=path, source="stock", user=self.operator)
        self.assertEqual(result.status, "imported", result.errors)

    def test_running_out_and_coming_back(self) -> None:
        ProductFactory(sku="P-IMP", stock=5)
        ListingFactory(channel_code="pdd", sku="P-IMP")
        ListingFactory(channel_code="suning", sku="P-IMP")
        self.stock_import("库存-1.csv", "0")
        down = StockoutTask.objects.filter(sku="P-IMP", action="take_down")
        self.assertEqual(sorted(down.values_list("listing__channel__code", flat=True)), ["pdd", "suning"])
        self.assertEqual({t.created_by for t in down}, {self.operator})
        stockout_task_done(task_id=down.get(listing__channel__code="pdd").pk, user=self.operator)
        self.stock_import("库存-2.csv", "12")
        up = StockoutTask.objects.get(sku="P-IMP", action="put_up")
        self.assertEqual(up.listing.channel.code, "pdd")
        self.assertIsNotNone(down.get(listing__channel__code="suning").superseded_at)
