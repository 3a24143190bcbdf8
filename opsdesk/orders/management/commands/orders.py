"""`opsdesk orders [--channel C] [--status S] [--payment P] [--search TEXT] [--json]`: list orders (phones masked)."""

from __future__ import annotations

from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import local
from opsdesk.lib.masking import mask_phone
from opsdesk.lib.money import yuan
from opsdesk.orders.models import Order, OrderStatus
from opsdesk.orders.selectors import order_as_json, order_list, payment_choices


class Command(OpsCommand):
    help = "列出订单: opsdesk orders [--channel C] [--status S] [--payment P] [--search TEXT]"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--channel", help="平台代码, 例如 official、pdd")
        parser.add_argument("--status", choices=OrderStatus.values, help="状态")
        payments = payment_choices()
        parser.add_argument("--payment", choices=[value for value, _ in payments],
                            help="支付方式: " + ", ".join(f"{value} ({label})" for value, label in payments))
        parser.add_argument("--search", help="订单号、万里牛单号、快递单号、收货人、手机、商品编码或名称")

    def handle(self, *args: Any, **options: Any) -> None:
        orders = order_list(channel=options["channel"], status=options["status"], payment=options["payment"],
                            search=options["search"])
        orders = orders.prefetch_related("lines")
        if self.as_json:
            self.emit([order_as_json(order) for order in orders])
            return
        count = 0
        for order in orders:
            count += 1
            self.say(_line(order))
        self.say(f"共 {count} 个订单")


def _line(order: Order) -> str:
    placed = f"{local(order.placed_at):%Y-%m-%d %H:%M}" if order.placed_at else "-"
    items = " ".join(f"{line.sku}×{line.qty}" for line in order.lines.all())
    parts = [order.channel.name, order.order_no, order.get_status_display(), placed, order.receiver_name,
             mask_phone(order.receiver_phone), f"¥{yuan(order.total_amount)}" if order.total_amount else "", items]
    return "  ".join(str(part) for part in parts if part)
