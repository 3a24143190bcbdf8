"""Every after-sales action asks its permission (declared in aftersales/roles.py) through the one
`permission_require`: the wrong role, an inactive user and nobody at all are refused, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from opsdesk.aftersales.models import Case, CaseEvent, CaseFile
from opsdesk.aftersales.reveal import case_contact_reveal
from opsdesk.aftersales.screenshots import case_file_image, case_screenshots_add
from opsdesk.aftersales.services import (
    case_advance,
    case_open,
    case_reissue_open,
    case_reissue_sku_set,
    case_send,
    case_send_check,
    case_send_checked,
)
from opsdesk.core.roles import system_user
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderEvent
from opsdesk.test import BaseTestCase, user_make
from tests.aftersales.helpers import zto_order
from tests.factories import image_bytes

pytestmark = pytest.mark.postgres

ORDER_NO = "201122-123456789012345"
Action = Callable[[Any], object]


class CasePermissionTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        self.lost = case_open(type="lost_parcel", order_no=ORDER_NO, amount="5", user=self.service)
        self.reissue = case_reissue_open(case_id=self.lost.pk, user=self.service)
        [self.file] = case_screenshots_add(case_id=self.lost.pk, user=self.service, kind="交易截图",
                                           files=[("pay.png", image_bytes())])
        self.written = self.counts()

    @staticmethod
    def counts() -> tuple[int, ...]:
        return tuple(model.objects.count() for model in (Case, CaseEvent, CaseFile, OrderEvent))

    def inactive(self, role: str) -> User:
        user = user_make(role=role, username=f"gone-{role}")
        user.is_active = False
        user.save(update_fields=["is_active"])
        return user

    def assert_refused(self, action: Action, user: Any, message: str) -> None:
        with self.assertRaisesMessage(Refused, message):
            action(user)
        self.assertEqual(self.counts(), self.written)

    def service_actions(self) -> dict[str, Action]:
        lost = self.lost.pk
        return {
            "open": lambda user: case_open(type="damaged", order_no=ORDER_NO, amount="3", qty=1, user=user),
            "advance": lambda user: case_advance(case_id=lost, to_state="reported", user=user),
            "send_check": lambda user: case_send_check(case_id=lost, user=user),
            "send": lambda user: case_send(case_id=lost, user=user),
            "send_checked": lambda user: case_send_checked(case_id=lost, send_id=1, delivered=True, user=user),
            "screenshots": lambda user: case_screenshots_add(case_id=lost, user=user, kind="交易截图",
                                                             files=[("other.png", image_bytes(colour="blue"))]),
        }

    def operator_actions(self) -> dict[str, Action]:
        return {
            "reissue_open": lambda user: case_reissue_open(case_id=self.lost.pk, user=user),
            "reissue_sku": lambda user: case_reissue_sku_set(case_id=self.reissue.pk, sku="SKU-ZTO-1",
                                                             reissue_sku="BF-1", user=user),
        }

    def test_it_refuses_the_roles_that_do_not_work_the_case(self) -> None:
        for name, action in self.service_actions().items():
            with self.subTest(name):
                self.assert_refused(action, self.pharmacist, "的权限: 只有客服、管理员可以")
                self.assert_refused(action, self.operator, "的权限: 只有客服、管理员可以")
        for name, action in self.operator_actions().items():
            with self.subTest(name):
                self.assert_refused(action, self.pharmacist, "的权限: 只有运营、管理员可以")
        other_service = user_make(role="service", username="service-2")  # not who opened the lost parcel
        self.assert_refused(self.operator_actions()["reissue_open"], other_service, "安排补发的权限")

    def test_it_refuses_inactive_users(self) -> None:
        gone_service, gone_operator = self.inactive("service"), self.inactive("operator")
        actions = [*self.service_actions().values(), *self.operator_actions().values()]
        for action in actions:
            for user in (gone_service, gone_operator):
                self.assert_refused(action, user, "已停用")
        self.assert_refused(lambda user: case_contact_reveal(case_id=self.lost.pk, user=user), gone_service, "已停用")
        self.assert_refused(lambda user: case_file_image(case_id=self.lost.pk, file_id=self.file.pk, user=user),
                            gone_service, "已停用")

    def test_it_refuses_nobody_and_the_system_account(self) -> None:
        reads: list[Action] = [
            lambda user: case_contact_reveal(case_id=self.lost.pk, user=user),
            lambda user: case_file_image(case_id=self.lost.pk, file_id=self.file.pk, user=user),
        ]
        for action in [*self.service_actions().values(), *self.operator_actions().values(), *reads]:
            self.assert_refused(action, None, "请给出操作人")
            self.assert_refused(action, system_user(), "的权限")

    def test_the_roles_that_work_the_case_are_let_through(self) -> None:
        self.assertEqual(case_file_image(case_id=self.lost.pk, file_id=self.file.pk, user=self.pharmacist)[1],
                         "image/png")
        self.assertEqual(case_reissue_sku_set(case_id=self.reissue.pk, sku="SKU-ZTO-1", reissue_sku="BF-1",
                                              user=self.operator).pk, self.reissue.pk)
        self.assertEqual(case_advance(case_id=self.lost.pk, to_state="reported", user=self.admin).state, "reported")
