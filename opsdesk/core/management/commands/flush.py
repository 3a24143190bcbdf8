"""Django's `flush`, refusing a database that holds orders: the records are kept five years (药品网络销售监督管理办法)
and a flush would wipe them with no trace. A test database is flushed as Django's test runner needs."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from opsdesk.core.keep import refuse_wipe


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        refuse_wipe(database=options["database"], command="flush")
        super().handle(**options)
