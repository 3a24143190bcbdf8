from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.core.services import user_add
from opsdesk.lib.errors import Refused
from opsdesk.test import BaseTestCase

pytestmark = pytest.mark.postgres


class UserAddTestCase(BaseTestCase):
    def test_it_creates_a_user_in_the_role_group(self) -> None:
        user = user_add(username="li", role="pharmacist", password="long-enough-9")
        self.assertEqual(list(user.groups.values_list("name", flat=True)), ["pharmacist"])
        self.assertTrue(user.check_password("long-enough-9"))
        self.assertFalse(user.is_staff)

    def test_it_makes_admins_staff(self) -> None:
        self.assertTrue(user_add(username="boss", role="admin", password="long-enough-9").is_staff)

    def test_it_refuses_unknown_roles(self) -> None:
        with self.assertRaisesMessage(Refused, "未知角色"):
            user_add(username="x", role="cashier", password="long-enough-9")
        self.assertFalse(User.objects.filter(username="x").exists())

    def test_it_refuses_names_the_admin_would_refuse(self) -> None:
        for name in ("bad name/../", "x" * 151, "", "王 芳"):
            with self.assertRaisesMessage(Refused, "不可用"):
                user_add(username=name, role="admin", password="long-enough-9")
        self.assertEqual(user_add(username="wang.fang@example.com", role="operator", password="long-enough-9").username,
                         "wang.fang@example.com")
        self.assertFalse(User.objects.filter(username__contains="/").exists())

    def test_it_refuses_duplicates_and_weak_passwords(self) -> None:
        with self.assertRaisesMessage(Refused, "已存在"):
            user_add(username="operator", role="operator", password="long-enough-9")
        with self.assertRaisesMessage(Refused, "密码"):
            user_add(username="weak", role="operator", password="123")

    def test_the_command_reads_the_password_from_stdin(self) -> None:
        import io
        import sys

        stdin, sys.stdin = sys.stdin, io.StringIO("long-enough-9\n")
        try:
            call_command("user", "add", "wang", "--role", "service", stdout=io.StringIO())
        finally:
            sys.stdin = stdin
        self.assertTrue(User.objects.get(username="wang").groups.filter(name="service").exists())

    def test_pharmacist_permissions_stay_with_pharmacists(self) -> None:
        self.assertFalse(self.admin.groups.filter(permissions__codename="review_prescription").exists())
        with self.assertRaises(CommandError):
            call_command("user", "add", "nobody", "--role", "ghost")
