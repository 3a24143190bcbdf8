from __future__ import annotations

from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "opsdesk.rules"
    label = "rules"

    def ready(self) -> None:
        from opsdesk.imports.signals import order_lines_replaced, products_became_rx
        from opsdesk.rules.recheck import rx_lines_replaced_receiver, rx_products_added_receiver

        order_lines_replaced.connect(rx_lines_replaced_receiver, dispatch_uid="rules.rx_lines_recheck")
        products_became_rx.connect(rx_products_added_receiver, dispatch_uid="rules.rx_products_recheck")
