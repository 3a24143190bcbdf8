from __future__ import annotations

from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "opsdesk.aftersales"
    label = "aftersales"
    verbose_name = "售后"

    def ready(self) -> None:
        from opsdesk.aftersales.services import erp_aftersales_receiver, stock_changed_receiver
        from opsdesk.imports.signals import erp_aftersales_imported, stock_changed

        stock_changed.connect(stock_changed_receiver, dispatch_uid="aftersales.stockout_tasks")
        erp_aftersales_imported.connect(erp_aftersales_receiver, dispatch_uid="aftersales.returns_sync")
