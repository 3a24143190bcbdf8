from __future__ import annotations

from typing import Any

from django.apps import AppConfig


# The receivers live with the prescription checks (Pillow and the rule registry behind them): imported when an
# import first sends, not when every `opsdesk` command starts.
def _rx_lines_replaced(sender: Any, **kwargs: Any) -> None:
    from opsdesk.rules.recheck import rx_lines_replaced_receiver

    rx_lines_replaced_receiver(sender, **kwargs)


def _rx_products_added(sender: Any, **kwargs: Any) -> None:
    from opsdesk.rules.recheck import rx_products_added_receiver

    rx_products_added_receiver(sender, **kwargs)


class RulesConfig(AppConfig):
    name = "opsdesk.rules"
    label = "rules"

    def ready(self) -> None:
        from opsdesk.imports.signals import order_lines_replaced, products_became_rx

        order_lines_replaced.connect(_rx_lines_replaced, dispatch_uid="rules.rx_lines_recheck")
        products_became_rx.connect(_rx_products_added, dispatch_uid="rules.rx_products_recheck")
