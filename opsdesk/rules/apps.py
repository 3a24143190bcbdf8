from __future__ import annotations

from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "opsdesk.rules"
    label = "rules"
