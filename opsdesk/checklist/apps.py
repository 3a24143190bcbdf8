from __future__ import annotations

from django.apps import AppConfig


class ChecklistConfig(AppConfig):
    name = "opsdesk.checklist"
    label = "checklist"
