"""`opsdesk backup [--to DIR]`: an online, consistent copy of the database with the data dir's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opsdesk.core.backup import backup_make
from opsdesk.lib.command import OpsCommand


class Command(OpsCommand):
    help = "备份: opsdesk backup [--to DIR] (数据库与上传文件、处方图片, 运营台无需停止)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", type=Path, help="备份存放目录 (默认 数据目录/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        made = backup_make(to=options["to"])
        if self.as_json:
            self.emit(made)
        else:
            self.say(f"已备份到 {made['path']} (数据库 {made['database']}, 文件 {made['files']} 个)")
