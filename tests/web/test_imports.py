from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from opsdesk.imports.models import ImportProfile
from opsdesk.imports.samples import write_export
from opsdesk.live.models import Upload
from opsdesk.orders.models import Order
from opsdesk.test import BaseTestCase, tasks_run

pytestmark = pytest.mark.postgres


def official_row(order_no: str) -> dict[str, str]:
    return {
        "订单编号": order_no, "下单时间": "2026-11-23 09:00:00", "支付时间": "2026-11-23 09:01:00", "订单状态": "已付款",
        "订单处理状态": "待发货", "订单支付方式": "微信支付", "收货人": "赵六", "手机": "13700000000", "省份": "江苏省",
        "城市": "南京市", "区县": "江宁区", "详细地址": "示例路1号", "商品编码": "SKU-1", "商品名称": "板蓝根颗粒",
        "规格": "10g*20袋", "数量": "1", "单价": "20.00", "订单金额": "20.00",
    }


def export(rows: list[dict[str, str]], name: str) -> SimpleUploadedFile:
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(path=Path(folder) / name, source="official", rows=rows)
        return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


class ImportsTestCase(BaseTestCase):
    def upload(self, data: dict) -> Upload:
        """Drop files on the page, as the browser does, and let the worker import them."""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/imports/", data)
        self.assertEqual(response.status_code, 302)
        upload = Upload.objects.order_by("created_at").last()
        assert upload is not None
        self.assertEqual(response["Location"], f"/imports/?upload={upload.pk}")
        queued = self.client.get(response["Location"])
        self.assertContains(queued, 'hx-trigger="every 1s"')
        self.assertContains(queued, "等待后台任务")
        self.assertEqual(tasks_run(), 1)
        return upload

    def test_it_imports_several_files_and_shows_each_result(self) -> None:
        self.client.force_login(self.operator)
        files = [export([official_row("GW261123001")], "a.csv"), export([official_row("GW261123002")], "b.csv")]
        upload = self.upload({"files": files, "source": "official"})
        response = self.client.get(f"/imports/uploads/{upload.pk}/")
        self.assertNotContains(response, "hx-trigger")
        self.assertContains(response, "a.csv")
        self.assertContains(response, "b.csv")
        self.assertContains(response, "imported")
        self.assertEqual(Order.objects.count(), 2)

    def test_a_bad_file_shows_each_error_with_its_row_and_column(self) -> None:
        self.client.force_login(self.operator)
        bad = export([official_row("GW261123003"), official_row("2.61122E+20")], "bad.csv")
        upload = self.upload({"files": [bad]})
        response = self.client.get(f"/imports/uploads/{upload.pk}/")
        self.assertContains(response, "rejected")
        errors = response.context["upload"].results[0]["errors"]
        self.assertTrue(any(error["row"] == 3 and error["column"] == "订单编号" for error in errors), errors)
        self.assertContains(response, '<td class="row">3</td><td class="column">订单编号</td>')
        self.assertFalse(Order.objects.exists())

    def test_no_file_is_left_behind_success_or_failure(self) -> None:
        self.client.force_login(self.operator)
        upload = self.upload({"files": [export([official_row("GW261123009")], "c.csv"), SimpleUploadedFile("x.xlsx", b"junk")]})
        upload.refresh_from_db()
        self.assertEqual([result["status"] for result in upload.results], ["imported", "rejected"])
        self.assertTrue(upload.results[1]["errors"][0]["message"].startswith("x.xlsx: "))  # the name they chose
        self.assertEqual(upload.status, "done")
        for item in upload.files:
            self.assertFalse(Path(item["path"]).exists())
        self.assertFalse(Path(upload.files[0]["path"]).parent.exists())

    def test_nobody_else_sees_an_upload(self) -> None:
        self.client.force_login(self.operator)
        upload = self.upload({"files": [export([official_row("GW261123010")], "d.csv")]})
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(f"/imports/uploads/{upload.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/imports/uploads/not-a-uuid/").status_code, 404)

    def test_the_source_list_is_the_profiles_in_the_database(self) -> None:
        ImportProfile.objects.create(source="jd", name="京东", kind="channel", channel_code="jd")
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/imports/"), '<option value="jd" >京东 (jd)</option>', html=False)

    def test_an_unknown_source_is_refused_before_anything_is_queued(self) -> None:
        self.client.force_login(self.operator)
        data = self.enterContext(tempfile.TemporaryDirectory(prefix="uploads-"))  # this test's own: others upload
        with override_settings(DATA_DIR=Path(data)):
            for source in ("nonexistent", "x" * 3000, '"><script>alert(1)</script>'):
                response = self.client.post("/imports/", {"files": [export([official_row("GW261123011")], "e.csv")],
                                                          "source": source})
                self.assertEqual(response.status_code, 400, source[:20])
                self.assertContains(response, "未知的来源", status_code=400)
                self.assertNotContains(response, "<script>alert", status_code=400)
        self.assertFalse(Upload.objects.exists())
        self.assertEqual(list(Path(data).rglob("*")), [])

    def test_it_asks_for_a_file(self) -> None:
        self.client.force_login(self.admin)
        self.assertContains(self.client.post("/imports/", {}), "请选择要导入的文件", status_code=400)

    def test_service_and_pharmacists_may_not_import(self) -> None:
        for user in (self.service, self.pharmacist):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/imports/").status_code, 403)
            self.assertNotContains(self.client.get("/orders/"), 'href="/imports/"')

    def test_an_older_export_shows_the_orders_it_left_alone(self) -> None:
        self.client.force_login(self.operator)
        shipped = official_row("GW261123004") | {"订单处理状态": "已发货", "快递单号": "75300000000009"}
        self.upload({"files": [export([shipped], "新.csv")]})
        upload = self.upload({"files": [export([official_row("GW261123004")], "旧.csv")]})
        response = self.client.get(f"/imports/uploads/{upload.pk}/")
        self.assertContains(response, "GW261123004")
        self.assertContains(response, "保持不变")
        self.assertEqual(Order.objects.get().status, "shipped")
