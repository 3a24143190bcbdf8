"""Django's admin, its apps' admin modules found when the URLs load (opsdesk/urls.py) or the admin's checks run, not
at start-up: most `opsdesk` commands never open the admin, and discovering it was a tenth of `opsdesk import`'s
start-up. (Its own module: an app's apps.py with two configs would lose its default one.)"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def _admin_checks(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The admin's checks of every app's admin module (found first: the URLs may not be loaded yet)."""
    from django.contrib import admin

    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(_admin_checks, checks.Tags.admin)
