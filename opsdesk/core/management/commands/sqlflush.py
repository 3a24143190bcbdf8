"""Django's `sqlflush`, refusing a database that holds orders (see flush.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import sqlflush

from opsdesk.core.keep import refuse_wipe


class Command(sqlflush.Command):
    def handle(self, **options: Any) -> str:
        refuse_wipe(database=options["database"], command="sqlflush")
        return super().handle(**options)
