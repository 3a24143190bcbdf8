"""The checklist in the admin: items editable by the admin role, runs and sign-offs read-only records."""

from __future__ import annotations

from datetime import date

import pytest

from opsdesk.checklist.models import ChecklistItem, ChecklistRun, SignOff
from opsdesk.checklist.services import checklist_sign
from opsdesk.test import PASSWORD, BaseTestCase

pytestmark = pytest.mark.postgres


class ChecklistAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.login(username="admin", password=PASSWORD)
        self.signoff = checklist_sign(code="cod-sheet", user=self.operator, day=date(2026, 11, 23), note="已发")

    def test_the_back_ends_and_the_channels_login_pages_are_listed(self) -> None:
        backends = self.client.get("/admin/checklist/backend/")
        self.assertContains(backends, "https://account.hupun.com/login")
        self.assertContains(backends, "http://admin.syt.cn/index")
        self.assertContains(self.client.get("/admin/orders/channel/"), "https://mms.pinduoduo.com/home")

    def test_an_admin_edits_an_item(self) -> None:
        item = ChecklistItem.objects.get(code="official-stock")
        url = f"/admin/checklist/checklistitem/{item.pk}/change/"
        self.assertContains(self.client.get(url), "推送之前查看一下库存")
        response = self.client.post(url, {
            "code": item.code, "section": item.section, "title": "推送之前核对库存", "due": "10:15",
            "rule": "stock_short", "channels": [item.channels.get().pk], "sort": item.sort, "active": "on",
        })
        self.assertEqual(response.status_code, 302, getattr(response, "context_data", {}).get("errors"))
        item.refresh_from_db()
        self.assertEqual((item.title, item.due.strftime("%H:%M")), ("推送之前核对库存", "10:15"))

    def test_runs_and_signoffs_are_read_only(self) -> None:
        run = ChecklistRun.objects.get()
        self.assertContains(self.client.get(f"/admin/checklist/checklistrun/{run.pk}/change/"), "已发")
        self.assertEqual(self.client.get(f"/admin/checklist/signoff/{self.signoff.pk}/change/").status_code, 200)
        self.assertEqual(self.client.get("/admin/checklist/signoff/add/").status_code, 403)
        self.client.post(f"/admin/checklist/signoff/{self.signoff.pk}/change/", {"note": "改掉"})
        self.client.post(f"/admin/checklist/signoff/{self.signoff.pk}/delete/", {"post": "yes"})
        self.assertEqual(SignOff.objects.get().note, "已发")

    def test_operators_cannot_edit_items(self) -> None:
        self.client.login(username="operator", password=PASSWORD)
        item = ChecklistItem.objects.get(code="official-stock")
        response = self.client.post(f"/admin/checklist/checklistitem/{item.pk}/change/", {"title": "x"})
        self.assertIn(response.status_code, (302, 403))
        item.refresh_from_db()
        self.assertEqual(item.title, "推送之前查看一下库存")
