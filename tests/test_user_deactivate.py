"""`opsdesk user deactivate USERNAME` and `opsdesk user list`: a deactivated user keeps their history and can no
longer log in or act, on the desk or the CLI."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.core.services import user_add
from opsdesk.lib.errors import Refused
from opsdesk.rules.models import Acknowledgement
from opsdesk.rules.services import order_ack
from opsdesk.test import PASSWORD, BaseTestCase
from tests.factories import OrderFactory
from tests.rules.helpers import cli

pytestmark = pytest.mark.postgres


def user_command(*args: str) -> object:
    out = io.StringIO()
    call_command("user", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


class UserDeactivateTestCase(BaseTestCase):
    def test_a_deactivated_user_keeps_their_history_and_is_refused(self) -> None:
        order = OrderFactory(order_no="GW800", buyer_message="请尽快发货")
        order_ack(order=order, user=self.service)
        self.assertEqual(user_command("deactivate", "service"), {"ok": True, "username": "service", "active": False})
        self.assertEqual(Acknowledgement.objects.get(order=order).user, self.service)
        code, _, err = cli("ack", "GW800", "--user", "service")
        self.assertEqual((code, "已停用" in err), (1, True))
        self.assertFalse(self.client.login(username="service", password=PASSWORD))

    def test_it_refuses_unknown_inactive_and_the_system_account(self) -> None:
        user_command("deactivate", "operator")
        for name, message in (("nobody", "没有用户"), ("operator", "已经停用"), ("system", "不能停用")):
            with self.assertRaisesMessage(CommandError, message):
                user_command("deactivate", name)

    def test_the_list_shows_roles_and_who_is_active(self) -> None:
        user_command("deactivate", "pharmacist")
        rows = {row["username"]: row for row in user_command("list")}  # type: ignore[attr-defined]
        self.assertEqual(set(rows), {"operator", "service", "pharmacist", "admin"})  # not the system account
        self.assertEqual((rows["pharmacist"]["roles"], rows["pharmacist"]["active"]), (["pharmacist"], False))
        self.assertEqual((rows["admin"]["roles"], rows["admin"]["active"]), (["admin"], True))

    def test_the_system_name_is_reserved(self) -> None:
        with self.assertRaisesMessage(Refused, "留给定时任务"):
            user_add(username="system", role="admin", password="long-enough-9")
        self.assertFalse(User.objects.get(username="system").has_usable_password())
