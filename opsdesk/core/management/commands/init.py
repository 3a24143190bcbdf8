from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from opsdesk.lib.command import OpsCommand


class Command(OpsCommand):
    help = "创建或升级数据库 (可重复执行)"

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        database = settings.DATABASES["default"]
        if self.as_json:
            self.emit({"ok": True, "database": str(database["NAME"]), "engine": database["ENGINE"]})
        else:
            self.say(f"数据库已就绪: {database['NAME']}")
