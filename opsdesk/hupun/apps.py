from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HupunConfig(AppConfig):
    """The 万里牛 (Hupun) OPEN API pull: one more reader of the ERP sources the file import already knows."""

    name = "opsdesk.hupun"
    label = "hupun"
    verbose_name = _("万里牛 OPEN API")
