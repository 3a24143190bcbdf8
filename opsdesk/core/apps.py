from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_migrate, pre_save


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate fires once per app with models; the groups need every app's permissions, so wait for the last.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    from opsdesk.core.roles import roles_sync

    roles_sync()


class CoreConfig(AppConfig):
    name = "opsdesk.core"
    label = "core"
    verbose_name = "OpsDesk"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from opsdesk.core.keep import refuse_unmigrate
        from opsdesk.core.roles import system_account_guard

        post_migrate.connect(_sync_roles, dispatch_uid="opsdesk.core.roles_sync")
        pre_migrate.connect(refuse_unmigrate, dispatch_uid="opsdesk.core.refuse_unmigrate")
        pre_save.connect(system_account_guard, sender=get_user_model(), dispatch_uid="opsdesk.core.system_account")
