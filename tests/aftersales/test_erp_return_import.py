"""A real 万里牛 售后单 import moves an approved return case on to `returned`, whichever screen is open."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from opsdesk.aftersales.models import Case
from opsdesk.aftersales.services import case_advance, case_open
from opsdesk.imports.samples import write_export
from opsdesk.imports.services import import_file
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order

pytestmark = pytest.mark.postgres


class ErpReturnImportTestCase(BaseTestCase):
    def erp_aftersales_import(self, note: str) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        row = {
            "售后单号": "SH2611230009", "类型": "退货", "状态": "已完成", "系统单号": self.order.erp_order_no,
            "线上订单号": self.order.order_no, "备注": note, "创建时间": "2026-11-23 09:00:00",
        }
        path = write_export(path=folder / f"售后单-{len(note)}.xlsx", source="erp_aftersales", rows=[row])
        result = import_file(path=path, source="erp_aftersales", user=self.operator)
        self.assertEqual(result.status, "imported", result.errors)

    def setUp(self) -> None:
        self.order = zto_order()
        self.case = case_open(type="return_refund", order_no=self.order.order_no, user=self.service)

    def test_the_return_back_in_the_warehouse_moves_an_approved_case(self) -> None:
        case_advance(case_id=self.case.pk, to_state="approved", user=self.service)
        self.erp_aftersales_import("售后处理:新建售后单【SH2611230009】")
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "returned")

    def test_a_case_not_yet_approved_or_a_note_without_the_mark_stays(self) -> None:
        self.erp_aftersales_import("售后处理:新建售后单【SH2611230009】")
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "requested")
        case_advance(case_id=self.case.pk, to_state="approved", user=self.service)
        self.erp_aftersales_import("客户要求退货")
        self.assertEqual(Case.objects.get(pk=self.case.pk).state, "approved")
