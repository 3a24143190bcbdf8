"""The admin edits texts, groups and mailboxes; cases and tasks are read-mostly and never deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from opsdesk.aftersales.models import ChatGroup, MessageTemplate, Recipient
from opsdesk.aftersales.services import case_open, stockout_mark
from opsdesk.test import PASSWORD, BaseTestCase
from tests.aftersales.helpers import zto_order
from tests.factories import ListingFactory

pytestmark = pytest.mark.postgres

PAGES = ["case", "messagetemplate", "chatgroup", "recipient", "aftersalesconfig", "stockouttask"]


class AftersalesAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        self.case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        ListingFactory(sku="P-ADM")
        stockout_mark(user=self.operator, sku="P-ADM")
        self.client.login(username="admin", password=PASSWORD)

    def test_every_page_loads_and_lists_mask_the_phone(self) -> None:
        for model in PAGES:
            response = self.client.get(f"/admin/aftersales/{model}/")
            self.assertEqual(response.status_code, 200, model)
        listing = self.client.get("/admin/aftersales/case/").content.decode()
        self.assertIn("139****0000", listing)
        self.assertNotIn("13900000000", listing)
        self.assertEqual(self.client.get(f"/admin/aftersales/case/{self.case.pk}/change/").status_code, 200)

    def test_cases_cannot_be_added_or_deleted(self) -> None:
        self.assertEqual(self.client.get("/admin/aftersales/case/add/").status_code, 403)
        self.assertEqual(self.client.get(f"/admin/aftersales/case/{self.case.pk}/delete/").status_code, 403)

    def test_a_template_that_does_not_compile_is_refused(self) -> None:
        template = MessageTemplate(case_type="damaged", kind="courier_report", courier="sto", text="{% if %}")
        with self.assertRaises(ValidationError):
            template.full_clean()
        response = self.client.post("/admin/aftersales/messagetemplate/add/", {
            "case_type": "damaged", "kind": "courier_report", "courier": "sto", "text": "{% for x %}",
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn("模板语法错误", response.content.decode())
        self.assertFalse(MessageTemplate.objects.filter(courier="sto").exists())

    def test_groups_and_recipients_are_checked(self) -> None:
        with self.assertRaisesMessage(ValidationError, "只有钉钉群可以配置机器人"):
            ChatGroup(name="QQ", app="qq", courier="zto", webhook_url="https://example.com/hook").full_clean()
        with self.assertRaisesMessage(ValidationError, "快递客服需要选择快递"):
            Recipient(role="courier_service", email="x@example.com").full_clean()
        with self.assertRaisesMessage(ValidationError, "快递客服需要选择快递"):
            Recipient(role="wanli", courier="sto", email="x@example.com").full_clean()
        Recipient(role="courier_service", courier="sto", email="x@example.com").full_clean()

    def test_the_robot_secret_is_never_shown_again_and_kept_when_left_blank(self) -> None:
        group = ChatGroup.objects.create(
            name="上元堂申通查件", app="dingtalk", courier="sto", webhook_url="https://robot.example.com/send?access_token=t",
            secret="SECexample0000",
        )
        url = f"/admin/aftersales/chatgroup/{group.pk}/change/"
        self.assertNotIn("SECexample0000", self.client.get(url).content.decode())
        form = {"name": "上元堂申通查件", "app": "dingtalk", "purpose": "courier", "courier": "sto",
                "webhook_url": group.webhook_url, "secret": "", "active": "on"}
        self.assertEqual(self.client.post(url, form).status_code, 302)
        group.refresh_from_db()
        self.assertEqual(group.secret, "SECexample0000")
        self.client.post(url, {**form, "secret": "SECexample1111"})
        group.refresh_from_db()
        self.assertEqual(group.secret, "SECexample1111")
        self.client.post(url, {**form, "clear_secret": "on"})
        group.refresh_from_db()
        self.assertEqual(group.secret, "")
