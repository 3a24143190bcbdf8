"""Complaints (投诉): service logs one with what the buyer complains of and by when it must be settled; the desk and
`opsdesk case open complaint` share the form; it has its history like every case and is never deleted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from opsdesk.aftersales.models import Case, CaseEvent
from opsdesk.aftersales.services import case_open
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderEvent
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order
from tests.rules.helpers import cli

pytestmark = pytest.mark.postgres

ORDER_NO = "201122-123456789012345"


class ComplaintTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = zto_order()

    def test_the_command_opens_it_with_its_deadline_in_shanghai_time(self) -> None:
        out = io.StringIO()
        call_command("case", "open", "complaint", ORDER_NO, "--note", "顾客已多次投诉 物流一直未更新",
                     "--deadline", "2026-11-23T18:00", "--user", "service", "--json", stdout=out, stderr=io.StringIO())
        shown = json.loads(out.getvalue())
        self.assertEqual((shown["type"], shown["type_label"], shown["state"]), ("complaint", "投诉", "opened"))
        self.assertEqual((shown["deadline"], shown["note"]), ("2026-11-23T18:00:00+08:00", "顾客已多次投诉 物流一直未更新"))
        self.assertEqual(shown["next_states"], ["settled", "cancelled"])
        self.assertEqual(shown["messages"], [])
        self.assertEqual(shown["history"][0]["note"], "顾客已多次投诉 物流一直未更新 (处理期限 2026-11-23 18:00)")
        self.assertEqual(OrderEvent.objects.get(order=self.order).kind, "case_open")

    def test_the_text_output_names_the_deadline(self) -> None:
        code, out, _ = cli("case", "open", "complaint", ORDER_NO, "--note", "催发货", "--deadline",
                           "2026-11-24 09:30", "--user", "service")
        self.assertEqual(code, 0)
        self.assertIn("处理期限 2026-11-24T09:30:00+08:00 · 催发货", out)

    def test_it_needs_a_deadline_and_what_the_buyer_complains_of(self) -> None:
        with self.assertRaisesMessage(Refused, "投诉需要处理期限 (--deadline, 例如 2026-11-23T18:00)"):
            case_open(type="complaint", order_no=ORDER_NO, note="催发货", user=self.service)
        with self.assertRaisesMessage(Refused, "投诉需要说明顾客投诉的内容 (--note)"):
            case_open(type="complaint", order_no=ORDER_NO, note="  ", deadline="2026-11-23T18:00", user=self.service)
        with self.assertRaisesMessage(Refused, "处理期限: 时间格式不对: '明天' (应为 ISO 8601, 例如 2026-11-23T09:30)"):
            case_open(type="complaint", order_no=ORDER_NO, note="催发货", deadline="明天", user=self.service)
        self.assertFalse(Case.objects.exists() or CaseEvent.objects.exists())

    def test_a_bad_deadline_exits_one_with_the_reason(self) -> None:
        code, _, err = cli("case", "open", "complaint", ORDER_NO, "--note", "x", "--deadline", "1999-01-01T00:00",
                           "--user", "service")
        self.assertEqual(code, 1)
        self.assertIn("日期超出范围", err)

    def test_it_is_services_work_not_the_pharmacists(self) -> None:
        with self.assertRaisesMessage(Refused, "处理投诉售后"):
            case_open(type="complaint", order_no=ORDER_NO, note="x", deadline="2026-11-23T18:00",
                      user=self.pharmacist)
        self.assertFalse(Case.objects.exists())

    def test_one_open_complaint_per_order_until_it_is_settled(self) -> None:
        case_open(type="complaint", order_no=ORDER_NO, note="一", deadline="2026-11-23T18:00", user=self.service)
        with self.assertRaisesRegex(Refused, "已有进行中的.+售后 #"):
            case_open(type="complaint", order_no=ORDER_NO, note="二", deadline="2026-11-23T18:00", user=self.service)

    def test_the_desk_opens_it_from_the_order_page_with_the_same_form(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(f"/orders/pdd/{ORDER_NO}/cases/", {
            "type": "complaint", "note": "顾客投诉 客服回复慢", "deadline": "2026-11-23T18:00"})
        case = Case.objects.get(type="complaint")
        self.assertRedirects(response, f"/cases/{case.pk}/", fetch_redirect_response=False)
        page = self.client.get(f"/cases/{case.pk}/").content.decode()
        self.assertIn("处理期限", page)
        self.assertIn("2026-11-23 18:00", page)
        refused = self.client.post(f"/orders/pdd/{ORDER_NO}/cases/", {"type": "complaint", "note": "再来"},
                                   follow=True).content.decode()
        self.assertIn("投诉需要处理期限", refused)
        self.assertIn('name="deadline"', self.client.get(f"/orders/pdd/{ORDER_NO}/").content.decode())

    def test_the_admin_cannot_delete_it(self) -> None:
        case = case_open(type="complaint", order_no=ORDER_NO, note="x", deadline="2026-11-23T18:00", user=self.service)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(f"/admin/aftersales/case/{case.pk}/delete/").status_code, 403)
