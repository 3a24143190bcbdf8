"""`opsdesk pull erp [--since DATETIME] [--until DATETIME] [--json]`: pull 万里牛 trades and returns now."""

from __future__ import annotations

import sys
from typing import Any

from opsdesk.hupun.services import PullResult, erp_pull
from opsdesk.imports.fields import problem_place
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import parse_moment

STATUS_TEXT = {"pulled": "已拉取", "failed": "失败"}


class Command(OpsCommand):
    help = "通过万里牛 OPEN API 拉取订单和售后单: opsdesk pull erp [--since DATETIME] [--until DATETIME]"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", choices=["erp"], help="来源 (目前只有 erp: 万里牛)")
        parser.add_argument("--since", help="从此时起修改的记录 (ISO 8601; 默认: 上次拉取处减 5 分钟)")
        parser.add_argument("--until", help="到此时为止 (ISO 8601; 默认: 现在)")

    def handle(self, *args: Any, **options: Any) -> None:
        since = parse_moment(options["since"]) if options["since"] else None
        until = parse_moment(options["until"]) if options["until"] else None
        result = erp_pull(since=since, until=until, via="cli")
        self._report(result)
        if self.as_json:
            self.emit(result.as_json())
        if not result.ok:
            sys.exit(1)

    def _report(self, result: PullResult) -> None:
        self.say(f"万里牛 OPEN API {result.since:%Y-%m-%d %H:%M} – {result.until:%Y-%m-%d %H:%M}: "
                 f"{STATUS_TEXT[result.status]}, {result.pages} 页, 订单 {result.trades}, 售后单 {result.returns}, "
                 f"新增 {result.created}, 更新 {result.updated}")
        for problem in result.warnings:
            self.say(f"  警告 {problem['file']} {problem_place(problem)}{problem['message']}")
        for problem in result.errors:
            self.say(f"  错误 {problem_place(problem)}{problem['message']}")
