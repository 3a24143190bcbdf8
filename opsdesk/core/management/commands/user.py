from __future__ import annotations

import sys
from typing import Any

from opsdesk.core.roles import ROLES
from opsdesk.core.services import user_add, user_deactivate, user_list
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused


class Command(OpsCommand):
    help = "用户管理: opsdesk user add USERNAME --role ROLE (密码从标准输入读取) | deactivate USERNAME | list"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(sub, "add", help="创建用户")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=sorted(ROLES))
        deactivate = self.add_subcommand(sub, "deactivate", help="停用用户 (保留其全部记录)")
        deactivate.add_argument("username")
        self.add_subcommand(sub, "list", help="列出用户、角色和是否启用")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_add(self, **options: Any) -> None:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise Refused("请从标准输入提供密码")
        user = user_add(username=options["username"], role=options["role"], password=password)
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

    def do_list(self, **options: Any) -> None:
        users = user_list()
        if self.as_json:
            self.emit(users)
            return
        for row in users:
            roles = "、".join(ROLES.get(role, role) for role in row["roles"]) or "-"
            self.say(f"{row['username']}\t{roles}\t{'启用' if row['active'] else '已停用'}")
