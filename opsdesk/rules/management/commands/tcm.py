from __future__ import annotations

from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import iso
from opsdesk.rules.cli import add_order_arguments, done, order_and_user
from opsdesk.rules.services import tcm_check


class Command(OpsCommand):
    help = "中药规格: opsdesk tcm check ORDER_NO --user U [--channel C] [--note TEXT]"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = self.add_subcommand(sub, "check", help="记录已核对订单的中药规格")
        add_order_arguments(check)
        check.add_argument("--note", default="", help="说明")

    def handle(self, *args: Any, **options: Any) -> None:
        order, user = order_and_user(options)
        record = tcm_check(order=order, user=user, note=options["note"])
        if self.as_json:
            self.emit(done(order, user=user.username, at=iso(record.at)))
        else:
            self.say(f"已记录 {order.channel.name} {order.order_no} 中药规格已核对 ({user.username})")
