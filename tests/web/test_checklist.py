from __future__ import annotations

import pytest

from opsdesk.checklist.models import SignOff
from opsdesk.test import BaseTestCase

pytestmark = pytest.mark.postgres

HTMX = {"HTTP_HX_REQUEST": "true"}


class ChecklistTestCase(BaseTestCase):
    def test_htmx_sign_off_answers_with_the_item_row(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/checklist/erp-auto-audit/sign/", {"note": "已确认"}, **HTMX)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertTrue(body.startswith('<tr id="item-erp-auto-audit" class="signed">'), body[:80])
        self.assertIn("operator", body)
        self.assertIn("已确认", body)
        self.assertNotIn("<html", body)
        # The heading's count follows out of band, so the page never shows a stale 已签核 0/n.
        self.assertIn('<span id="checklist-summary" class="muted small" hx-swap-oob="true">已签核 1/', body)
        signoff = SignOff.objects.get()
        self.assertEqual((signoff.user, signoff.note), (self.operator, "已确认"))

    def test_a_plain_post_redirects_back(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post("/checklist/erp-auto-audit/sign/", {"note": ""})
        self.assertRedirects(response, "/checklist/", fetch_redirect_response=False)
        self.assertEqual(SignOff.objects.count(), 1)

    def test_it_refuses_pharmacists_with_403(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertEqual(self.client.post("/checklist/erp-auto-audit/sign/", **HTMX).status_code, 403)
        self.assertFalse(SignOff.objects.exists())

    def test_each_role_sees_the_sign_form_only_on_the_items_it_may_sign(self) -> None:
        form = 'action="/checklist/{}/sign/"'
        self.client.force_login(self.pharmacist)
        page = self.client.get("/checklist/")
        self.assertContains(page, form.format("yfw-rx-review"))
        self.assertNotContains(page, form.format("erp-auto-audit"))
        self.client.force_login(self.operator)
        page = self.client.get("/checklist/")
        self.assertContains(page, form.format("erp-auto-audit"))
        self.assertNotContains(page, form.format("yfw-rx-review"))
        self.assertEqual(self.client.post("/checklist/yfw-rx-review/sign/", **HTMX).status_code, 403)

    def test_the_pharmacist_signs_the_prescription_review_in_place(self) -> None:
        self.client.force_login(self.pharmacist)
        response = self.client.post("/checklist/yfw-rx-review/sign/", {"note": "已审"}, **HTMX)
        self.assertContains(response, "✓ pharmacist")
        self.assertEqual(SignOff.objects.get().item.code, "yfw-rx-review")

    def test_an_unknown_item_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/checklist/no-such-item/sign/", **HTMX)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response["HX-Retarget"], "#flash")
        self.assertContains(response, "no-such-item", status_code=409)

    def test_past_days_are_read_only(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/checklist/erp-auto-audit/sign/", {"date": "2026-11-20", "note": "补签"})
        response = self.client.get("/checklist/", {"date": "2026-11-20"})
        self.assertContains(response, "只读")
        self.assertContains(response, "补签")
        self.assertNotContains(response, "/sign/")
        self.assertContains(self.client.get("/checklist/"), 'hx-post="/checklist/erp-abnormal/sign/"')
