"""`opsdesk restore FROM`: fill an empty data dir (and database) from a backup; a non-empty one is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command

from opsdesk.core.backup import backup_restore
from opsdesk.lib.command import OpsCommand


class Command(OpsCommand):
    help = "恢复: opsdesk restore FROM (只恢复到空的数据目录)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", type=Path, metavar="FROM", help="opsdesk backup 生成的备份目录")

    def handle(self, *args: Any, **options: Any) -> None:
        restored = backup_restore(source=options["source"])
        # A backup made by an older version is brought up to this one's tables at once.
        call_command("migrate", interactive=False, verbosity=0)
        if self.as_json:
            self.emit(restored)
        else:
            self.say(f"已从 {restored['from']} 恢复到 {restored['data_dir']} (备份于 {restored['made_at']})")
