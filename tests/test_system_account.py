"""The system account (cron jobs, the worker) is no person: it never has a usable password, `opsdesk user` will
not give it one nor "reactivate" it, the admin cannot edit it, and a login or a session as it is refused."""

from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.core.roles import system_user
from opsdesk.test import PASSWORD, BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory
from tests.rules.helpers import cli as rx_cli

pytestmark = pytest.mark.postgres

NEW_PASSWORD = "another-long-one-7"


def user_command(*args: str, stdin: str = "") -> str:
    out, saved = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("user", *args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = saved
    return out.getvalue()


class SystemAccountTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.system = system_user()

    def test_it_has_no_usable_password_whatever_sets_one(self) -> None:
        self.assertFalse(self.system.has_usable_password())
        self.system.set_password(NEW_PASSWORD)  # what the admin or Django's changepassword would do
        self.system.is_superuser = True
        self.system.save()
        self.system.refresh_from_db()
        self.assertFalse(self.system.has_usable_password())
        self.assertFalse(self.system.is_superuser)

    def test_no_password_validates_for_it(self) -> None:
        # Django's changepassword and the admin's form validate first: they give up on the system account.
        with self.assertRaises(ValidationError) as raised:
            validate_password(NEW_PASSWORD, self.system)
        self.assertEqual([error.code for error in raised.exception.error_list], ["system_account"])
        validate_password(NEW_PASSWORD, self.operator)

    def test_the_user_command_refuses_a_password_or_reactivation_for_it(self) -> None:
        for args, message in ((["password", "system"], "不能设置密码或登录"), (["activate", "system"], "不能作为用户启用"),
                              (["deactivate", "system"], "不能停用"), (["add", "system", "--role", "admin"], "留给")):
            with self.assertRaises(CommandError) as raised:
                user_command(*args, stdin=f"{NEW_PASSWORD}\n")
            self.assertEqual(raised.exception.returncode, 1, args)
            self.assertIn(message, str(raised.exception), args)
        self.system.refresh_from_db()
        self.assertFalse(self.system.has_usable_password())

    def test_it_cannot_log_in_even_with_a_password_forced_into_the_database(self) -> None:
        User.objects.filter(pk=self.system.pk).update(password=make_password(NEW_PASSWORD))
        response = self.client.post("/accounts/login/", {"username": "system", "password": NEW_PASSWORD})
        self.assertEqual(response.status_code, 200)  # the form again, not a redirect into the desk
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(self.client.login(username="system", password=NEW_PASSWORD))

    def test_a_session_as_the_system_account_is_not_accepted(self) -> None:
        self.client.force_login(self.system)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_the_admin_cannot_edit_it_or_set_its_password(self) -> None:
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(f"/admin/auth/user/{self.system.pk}/password/").status_code, 403)
        response = self.client.post(f"/admin/auth/user/{self.system.pk}/change/", {"username": "system", "is_staff": "on"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(f"/admin/auth/user/{self.operator.pk}/password/").status_code, 200)


class UserPasswordActivateTestCase(BaseTestCase):
    def test_a_person_gets_a_new_password_from_stdin(self) -> None:
        self.assertIn("已为用户 service 设置新密码", user_command("password", "service", stdin=f"{NEW_PASSWORD}\n"))
        self.assertTrue(self.client.login(username="service", password=NEW_PASSWORD))
        self.assertFalse(self.client.login(username="service", password=PASSWORD))

    def test_a_weak_or_missing_password_is_refused(self) -> None:
        for stdin, message in (("123\n", "密码不符合要求"), ("", "请从标准输入提供密码")):
            with self.assertRaisesMessage(CommandError, message):
                user_command("password", "service", stdin=stdin)
        self.assertTrue(self.client.login(username="service", password=PASSWORD))

    def test_a_deactivated_person_can_be_activated_again(self) -> None:
        user_command("deactivate", "operator")
        self.assertFalse(self.client.login(username="operator", password=PASSWORD))
        self.assertIn("已启用用户 operator", user_command("activate", "operator"))
        self.assertTrue(self.client.login(username="operator", password=PASSWORD))
        with self.assertRaisesMessage(CommandError, "已经是启用的"):
            user_command("activate", "operator")


class OwnRolesTestCase(BaseTestCase):
    """An admin cannot make himself a pharmacist (or anything else) in the admin; another admin may."""

    def setUp(self) -> None:
        self.client.force_login(self.admin)
        self.pharmacists = Group.objects.get(name="pharmacist")

    def change(self, user: User) -> int:
        response = self.client.post(f"/admin/auth/user/{user.pk}/change/", {
            "username": user.username, "groups": [self.pharmacists.pk, *user.groups.values_list("pk", flat=True)],
            "is_active": "on", "is_staff": "on", "is_superuser": "on", "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2026-11-23", "date_joined_1": "09:00:00",
        })
        return response.status_code

    def test_an_admin_cannot_give_himself_the_pharmacist_role(self) -> None:
        self.assertEqual(self.change(self.admin), 302)
        self.admin.refresh_from_db()
        self.assertNotIn("pharmacist", self.admin.groups.values_list("name", flat=True))
        self.assertFalse(self.admin.is_superuser)
        OrderLineFactory(order=OrderFactory(order_no="GW1", has_rx=True), rx=True)
        code, _, err = rx_cli("rx", "review", "GW1", "--user", "admin", "--approve")
        self.assertEqual(code, 1)
        self.assertIn("只有药师可以审核处方", err)

    def test_an_admin_may_give_another_user_the_role(self) -> None:
        self.assertEqual(self.change(self.operator), 302)
        self.assertIn("pharmacist", self.operator.groups.values_list("name", flat=True))
