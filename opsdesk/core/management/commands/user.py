from __future__ import annotations

import sys
from typing import Any

from opsdesk.core.roles import ROLES
from opsdesk.core.services import (
    person_by_name,
    user_activate,
    user_add,
    user_deactivate,
    user_list,
    user_password_set,
)
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused


def _password_read() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise Refused("请从标准输入提供密码")
    return password


class Command(OpsCommand):
    help = ("用户管理: opsdesk user add USERNAME --role ROLE (密码从标准输入读取) | password USERNAME (同上) | "
            "deactivate USERNAME | activate USERNAME | list")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(sub, "add", help="创建用户")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=sorted(ROLES))
        deactivate = self.add_subcommand(sub, "deactivate", help="停用用户 (保留其全部记录)")
        deactivate.add_argument("username")
        activate = self.add_subcommand(sub, "activate", help="重新启用停用的用户")
        activate.add_argument("username")
        password = self.add_subcommand(sub, "password", help="设置新密码 (从标准输入读取)")
        password.add_argument("username")
        self.add_subcommand(sub, "list", help="列出用户、角色和是否启用")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_add(self, **options: Any) -> None:
        user = user_add(username=options["username"], role=options["role"], password=_password_read())
        if self.as_json:
            self.emit({"ok": True, "username": user.username, "role": options["role"]})
        else:
            self.say(f"已创建用户 {user.username} ({ROLES[options['role']]})")

    def do_deactivate(self, **options: Any) -> None:
        user = user_deactivate(username=options["username"])
        if self.as_json:
            self.emit({"ok": True, "username": user.username, "active": False})
        else:
            self.say(f"已停用用户 {user.username} (其记录保留)")

    def do_activate(self, **options: Any) -> None:
        user = user_activate(username=options["username"])
        if self.as_json:
            self.emit({"ok": True, "username": user.username, "active": True})
        else:
            self.say(f"已启用用户 {user.username}")

    def do_password(self, **options: Any) -> None:
        # The system account (or an unknown name) is refused before a password is read for it.
        person_by_name(username=options["username"], doing="设置密码或登录")
        user = user_password_set(username=options["username"], password=_password_read())
        if self.as_json:
            self.emit({"ok": True, "username": user.username})
        else:
            self.say(f"已为用户 {user.username} 设置新密码")

    def do_list(self, **options: Any) -> None:
        users = user_list()
        if self.as_json:
            self.emit(users)
            return
        for row in users:
            roles = "、".join(ROLES.get(role, role) for role in row["roles"]) or "-"
            self.say(f"{row['username']}\t{roles}\t{'启用' if row['active'] else '已停用'}")
