"""`opsdesk import PATH... [--source S] [--json]`: import export files (the CLI maps `import` here)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from opsdesk.core.services import user_acting
from opsdesk.imports.models import ImportProfile
from opsdesk.imports.profiles import profile_choices
from opsdesk.imports.services import ImportResult, import_file
from opsdesk.lib.command import OpsCommand

STATUS_TEXT = {"imported": "已导入", "unchanged": "无变化", "rejected": "已拒绝"}
STAGE_TEXT = {"read": "已读取 {} 行", "written": "已写入 {} 条"}


class Command(OpsCommand):
    help = "导入导出文件: opsdesk import PATH... [--source S] (未指定来源时按表头识别)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--source", help="来源: 数据库中的导入格式代码, 如 official、pdd (默认按表头识别)")
        parser.add_argument("--user", help="导入人用户名 (默认: 定时任务账号 system)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        if source and not ImportProfile.objects.filter(source=source).exists():  # the list only for the message
            known = ", ".join(name for name, _ in profile_choices())
            raise CommandError(f"--source {source!r}: 未知的来源 (可用: {known})", returncode=2)
        progress = self._progress if sys.stderr.isatty() else None
        results = []
        user = user_acting(username=options["user"])
        for path in options["paths"]:
            result = import_file(path=path, source=source, user=user, progress=progress, via="cli")
            results.append(result)
            self._report(result)
        if self.as_json:
            self.emit([result.as_json() for result in results])
        if not all(result.ok for result in results):
            sys.exit(1)

    def _progress(self, stage: str, count: int) -> None:
        self.stderr.write(STAGE_TEXT[stage].format(count))

    def _report(self, result: ImportResult) -> None:
        self.say(f"{result.file}: {STATUS_TEXT[result.status]} 来源 {result.source or '?'}, {result.rows} 行, "
                 f"新增 {result.created}, 更新 {result.updated}")
        for problem in result.errors:
            self.say(f"  错误 {_where(problem)}{problem['message']}")
        for problem in result.warnings:
            self.say(f"  警告 {_where(problem)}{problem['message']}")


def _where(problem: dict[str, Any]) -> str:
    row = f"第 {problem['row']} 行" if problem.get("row") else ""
    column = f"[{problem['column']}]" if problem.get("column") else ""
    parts = [row, column]
    text = " ".join(part for part in parts if part)
    return f"{text}: " if text else ""
