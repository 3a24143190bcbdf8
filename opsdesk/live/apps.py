from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "opsdesk.live"
    verbose_name = _("数据来源与后台任务")
