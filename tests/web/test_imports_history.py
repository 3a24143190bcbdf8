"""`/imports/`, its recent imports per source: each source's latest records with their results."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.imports.models import ImportRecord, ImportStatus
from opsdesk.lib.dates import SHANGHAI
from opsdesk.test import BaseTestCase

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


def record(source: str, name: str, minutes: int, **values: object) -> ImportRecord:
    made = ImportRecord.objects.create(file_name=name, sha256=name, source=source, **values)
    ImportRecord.objects.filter(pk=made.pk).update(at=AT + timedelta(minutes=minutes))
    return made


class ImportsHistoryTestCase(BaseTestCase):
    def setUp(self) -> None:
        for n in range(7):
            record("pdd", f"pdd-{n}.xlsx", n, status=ImportStatus.IMPORTED, rows=10 + n, created=n, via="web")
        record("official", "官网订单.xlsx", 3, status=ImportStatus.REJECTED, via="inbox",
               errors=[{"row": 7, "column": "订单编号", "message": "订单编号是浮点数 2.61122E+20"}])
        record("", "unknown.csv", 4, status=ImportStatus.REJECTED, errors=[{"message": "无法识别来源"}])

    def history(self) -> dict[str, list[str]]:
        self.client.force_login(self.operator)
        self.response = self.client.get("/imports/")
        return {item.source: [r.file_name for r in item.records] for item in self.response.context["history"]}

    def test_it_lists_each_sources_latest_five_newest_first(self) -> None:
        history = self.history()
        self.assertEqual(history["pdd"], [f"pdd-{n}.xlsx" for n in (6, 5, 4, 3, 2)])
        self.assertEqual(history["official"], ["官网订单.xlsx"])
        self.assertEqual(history["wms"], [])
        self.assertContains(self.response, "16 行 · 新建 6 · 更新 0")

    def test_it_names_a_file_by_its_own_name_with_the_folder_in_the_title(self) -> None:
        record("wms", "/srv/opsdesk/inbox/.importing/WMS配货_20261123.csv", 8, status=ImportStatus.IMPORTED)
        self.history()
        self.assertContains(self.response, '<div class="file-name" title="/srv/opsdesk/inbox/.importing/WMS配货_20261123.csv">'
                                           "WMS配货_20261123.csv</div>", html=False)

    def test_it_shows_a_rejected_files_errors_with_row_and_column(self) -> None:
        self.history()
        self.assertContains(self.response, "第 7 行 订单编号: 订单编号是浮点数 2.61122E+20")
        self.assertContains(self.response, "已拒绝")
        self.assertContains(self.response, "inbox")

    def test_it_keeps_files_of_no_recognised_source_last(self) -> None:
        history = self.history()
        self.assertEqual(list(history)[-1], "")
        self.assertEqual(history[""], ["unknown.csv"])
        self.assertContains(self.response, "无法识别来源")

    def test_it_reads_the_history_in_one_query(self) -> None:
        self.client.force_login(self.operator)
        self.client.get("/imports/")
        with CaptureQueriesContext(connection) as captured:
            self.client.get("/imports/")
        self.assertEqual(sum("import_record" in q["sql"].lower() or "importrecord" in q["sql"].lower()
                             for q in captured.captured_queries), 1)

    def test_pharmacists_do_not_see_the_page(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertEqual(self.client.get("/imports/").status_code, 403)
