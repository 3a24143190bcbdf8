from __future__ import annotations

import sys
from typing import Any

from opsdesk.core.roles import ROLES
from opsdesk.core.services import user_add
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused


class Command(OpsCommand):
    help = "用户管理: opsdesk user add USERNAME --role ROLE (密码从标准输入读取)"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(sub, "add", help="创建用户")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=sorted(ROLES))

    def handle(self, *args: Any, **options: Any) -> None:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise Refused("请从标准输入提供密码")
        user = user_add(username=options["username"], role=options["role"], password=password)
        if self.as_json:
            self.emit({"ok": True, "username": user.username, "role": options["role"]})
        else:
            self.say(f"已创建用户 {user.username} ({ROLES[options['role']]})")
