from __future__ import annotations

from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "opsdesk.aftersales"
    label = "aftersales"
