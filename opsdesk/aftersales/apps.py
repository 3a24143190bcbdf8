from __future__ import annotations

from typing import Any

from django.apps import AppConfig


# The receivers live in the after-sales services (messages, pictures, Pillow): imported when an import first
# sends, not when every `opsdesk` command starts.
def _stock_changed(sender: Any, **kwargs: Any) -> None:
    from opsdesk.aftersales.services import stock_changed_receiver

    stock_changed_receiver(sender, **kwargs)


def _erp_aftersales_imported(sender: Any, **kwargs: Any) -> None:
    from opsdesk.aftersales.services import erp_aftersales_receiver

    erp_aftersales_receiver(sender, **kwargs)


class AftersalesConfig(AppConfig):
    name = "opsdesk.aftersales"
    label = "aftersales"
    verbose_name = "售后"

    def ready(self) -> None:
        from opsdesk.imports.signals import erp_aftersales_imported, stock_changed

        stock_changed.connect(_stock_changed, dispatch_uid="aftersales.stockout_tasks")
        erp_aftersales_imported.connect(_erp_aftersales_imported, dispatch_uid="aftersales.returns_sync")
