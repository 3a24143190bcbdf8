"""`opsdesk sources [--at DATETIME] [--json]`: the twelve sources with their last import or pull and staleness."""

from __future__ import annotations

from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import parse_moment
from opsdesk.live.selectors import SourceState, source_states


class Command(OpsCommand):
    help = "数据来源: 各来源最近一次导入或拉取、最近的错误、是否过期"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--at", help="以此时间判断 (ISO 8601, 默认现在)")

    def handle(self, *args: Any, **options: Any) -> None:
        states = source_states(at=parse_moment(options["at"]))
        if self.as_json:
            self.emit([state.as_json() for state in states])
            return
        for state in states:
            self.say(_line(state))


def _line(state: SourceState) -> str:
    mark = "过期" if state.stale else "正常"
    if state.last_at is None:
        seen = "从未导入"
    else:
        seen = f"{state.age_minutes} 分钟前 {state.last_file} ({state.rows} 行)"
    error = f"  错误: {state.last_error}" if state.last_error else ""
    return f"{state.label:<8} {state.source:<15} {mark}  {seen}{error}"
