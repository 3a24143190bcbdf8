from __future__ import annotations

from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import iso
from opsdesk.rules.cli import add_order_arguments, done, order_and_user
from opsdesk.rules.services import order_ack


class Command(OpsCommand):
    help = "确认已阅读订单的买家留言/客户备注: opsdesk ack ORDER_NO --user U [--channel C]"

    def add_arguments(self, parser: Any) -> None:
        add_order_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        order, user = order_and_user(options)
        ack = order_ack(order=order, user=user)
        if self.as_json:
            self.emit(done(order, user=user.username, at=iso(ack.at)))
        else:
            self.say(f"已确认 {order.channel.name} {order.order_no} 的留言/备注 ({user.username})")
