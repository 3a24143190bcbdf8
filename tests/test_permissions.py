"""One permission model: every service refuses whoever lacks its permission (and every inactive user), and the
desk's `may()` gives the same answer as the service for every role."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User

from opsdesk.aftersales.models import Case, StockoutTask
from opsdesk.aftersales.services import case_advance, case_open, case_send, stockout_mark, stockout_task_done
from opsdesk.checklist.services import checklist_sign
from opsdesk.core.roles import ROLES, system_user
from opsdesk.imports.services import import_file
from opsdesk.lib.errors import Refused
from opsdesk.live.uploads import upload_start
from opsdesk.orders.models import OrderEvent
from opsdesk.orders.services import order_phone_reveal
from opsdesk.reports.cod import cod_workbook
from opsdesk.rules.models import Acknowledgement, RxReview, TcmCheck
from opsdesk.rules.services import order_ack, rx_review, tcm_check
from opsdesk.test import BaseTestCase
from opsdesk.web.access import ACTIONS, may
from tests.aftersales.helpers import zto_order
from tests.factories import ListingFactory, OrderFactory, ProductFactory

pytestmark = pytest.mark.postgres


class PermissionTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(order_no="GW900", has_rx=True, has_tcm=True, buyer_message="请尽快发货")

    def refuses(self, message: str, service: Any, **kwargs: Any) -> None:
        with self.assertRaisesMessage(Refused, message):
            service(**kwargs)

    def test_order_ack_refuses_pharmacists(self) -> None:
        self.refuses("没有确认买家留言/客户备注的权限", order_ack, order=self.order, user=self.pharmacist)
        self.assertFalse(Acknowledgement.objects.exists())

    def test_tcm_check_refuses_service(self) -> None:
        self.refuses("没有记录中药规格核对的权限", tcm_check, order=self.order, user=self.service)
        self.assertFalse(TcmCheck.objects.exists())

    def test_rx_review_refuses_the_admin_role(self) -> None:
        self.refuses("只有药师可以审核处方", rx_review, order=self.order, user=self.admin, decision="approve")
        self.assertFalse(RxReview.objects.exists())

    def test_rx_review_refuses_an_admin_who_gave_himself_the_permission(self) -> None:
        permission = Permission.objects.get(content_type__app_label="rules", codename="review_prescription")
        self.admin.user_permissions.add(permission)
        Group.objects.get(name="operator").permissions.add(permission)
        for user in (User.objects.get(pk=self.admin.pk), User.objects.get(pk=self.operator.pk)):  # no cached perms
            self.refuses("只有药师可以审核处方", rx_review, order=self.order, user=user, decision="approve")
        self.assertFalse(RxReview.objects.exists())

    def test_checklist_sign_refuses_pharmacists(self) -> None:
        self.refuses("没有签核「", checklist_sign, code="erp-abnormal", user=self.pharmacist,
                     day=date(2026, 11, 23))

    def test_phone_reveal_refuses_the_system_account(self) -> None:
        self.refuses("没有查看收货人完整手机号的权限", order_phone_reveal, order=self.order, user=system_user())
        self.assertFalse(OrderEvent.objects.exists())

    def test_case_open_refuses_pharmacists(self) -> None:
        zto_order()
        self.refuses("没有处理丢件售后的权限", case_open, type="lost_parcel", order_no="201122-123456789012345",
                     amount="5", user=self.pharmacist)
        self.assertFalse(Case.objects.exists())

    def test_case_advance_and_send_refuse_operators_on_service_cases(self) -> None:
        zto_order()
        case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="5", user=self.service)
        self.refuses("只有客服、管理员可以", case_advance, case_id=case.pk, to_state="claimed", user=self.operator)
        self.refuses("只有客服、管理员可以", case_send, case_id=case.pk, user=self.operator)

    def test_stockouts_refuse_service(self) -> None:
        ProductFactory(sku="P-PERM")
        ListingFactory(channel_code="pdd", sku="P-PERM")
        self.refuses("没有生成上下架任务的权限", stockout_mark, sku="P-PERM", user=self.service)
        task = stockout_mark(sku="P-PERM", user=self.operator)[0]
        self.refuses("没有完成上下架任务的权限", stockout_task_done, task_id=task.pk, user=self.service)
        self.assertTrue(StockoutTask.objects.get(pk=task.pk).is_open)

    def test_import_refuses_service(self) -> None:
        self.refuses("没有导入文件的权限", import_file, path=Path("/nonexistent.csv"), user=self.service)

    def test_the_cod_sheet_refuses_pharmacists(self) -> None:
        self.refuses("没有生成货到付款表的权限", cod_workbook, day=date(2026, 11, 23), user=self.pharmacist)

    def test_an_inactive_user_is_refused_everywhere(self) -> None:
        ProductFactory(sku="P-GONE")
        ListingFactory(channel_code="pdd", sku="P-GONE")
        task = stockout_mark(sku="P-GONE", user=self.operator)[0]
        for user in (self.operator, self.pharmacist):
            user.is_active = False
            user.save()
        self.refuses("用户 operator 已停用", order_ack, order=self.order, user=self.operator)
        self.refuses("已停用", cod_workbook, day=date(2026, 11, 23), user=self.operator)
        self.refuses("已停用", tcm_check, order=self.order, user=self.operator)
        self.refuses("用户 pharmacist 已停用", rx_review, order=self.order, user=self.pharmacist, decision="approve")
        self.refuses("已停用", checklist_sign, code="erp-abnormal", user=self.operator, day=date(2026, 11, 23))
        self.refuses("已停用", import_file, path=Path("/nonexistent.csv"), user=self.operator)
        self.refuses("已停用", upload_start, user=self.operator, files=[])
        self.refuses("已停用", order_phone_reveal, order=self.order, user=self.operator)
        self.refuses("已停用", stockout_mark, sku="P-GONE", user=self.operator)
        self.refuses("已停用", stockout_task_done, task_id=task.pk, user=self.operator)
        self.assertFalse(RxReview.objects.exists() or TcmCheck.objects.exists() or Acknowledgement.objects.exists())
        self.assertFalse(OrderEvent.objects.filter(order=self.order).exists())
        self.assertTrue(StockoutTask.objects.get(pk=task.pk).is_open)
        self.assertFalse(any(may(self.operator, action) for action in ACTIONS))
        self.assertFalse(may(self.pharmacist, "rx_review"))

    def test_no_service_acts_for_nobody(self) -> None:
        for service, kwargs in (
            (order_ack, {"order": self.order}), (tcm_check, {"order": self.order}),
            (rx_review, {"order": self.order, "decision": "approve"}), (order_phone_reveal, {"order": self.order}),
            (checklist_sign, {"code": "erp-abnormal", "day": date(2026, 11, 23)}),
            (import_file, {"path": Path("/nonexistent.csv")}), (cod_workbook, {"day": date(2026, 11, 23)}),
        ):
            self.refuses("请给出操作人", service, user=None, **kwargs)

    def test_the_desk_allows_the_roles_the_services_allow(self) -> None:
        allowed = {
            action: {role for role in ROLES if may(User.objects.get(username=role), action)}
            for action in ("tcm_check", "rx_review", "checklist_sign", "order_ack", "import", "cod_report")
        }
        self.assertEqual(allowed, {
            "tcm_check": {"operator", "pharmacist", "admin"}, "rx_review": {"pharmacist"},
            "checklist_sign": {"operator", "service", "admin"}, "order_ack": {"operator", "service", "admin"},
            "import": {"operator", "admin"}, "cod_report": {"operator", "admin"},
        })
        self.assertFalse(may(User.objects.create_superuser("root", password="long-enough-9"), "rx_review"))
