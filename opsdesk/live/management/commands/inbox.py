"""`opsdesk inbox --once [--json]`: import every finished file in OPSDESK_INBOX now, filing each under done/ or
rejected/ (with a report); the worker does the same every minute."""

from __future__ import annotations

import sys
import time
from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.live.inbox import inbox_dir, inbox_process

WATCH_SECONDS = 10


class Command(OpsCommand):
    help = "处理收件夹里已下载完成的导出文件 (opsdesk inbox --once)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="处理一次后退出 (不加则每 10 秒看一次, 直到 Ctrl-C)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self._once()
            return
        while True:  # a watcher of its own where no worker runs
            self._once(quiet=True)
            time.sleep(WATCH_SECONDS)

    def _once(self, *, quiet: bool = False) -> None:
        outcomes = inbox_process()
        if self.as_json:
            self.emit([outcome.as_json() for outcome in outcomes])
        if not outcomes and not quiet:
            self.say(f"收件夹 {inbox_dir()} 没有待导入的文件")
        for outcome in outcomes:
            result = outcome.result
            self.say(f"{result.file}: {result.status} 来源 {result.source or '?'}, {result.rows} 行 → {outcome.moved_to}")
        if any(not outcome.result.ok for outcome in outcomes) and not quiet:
            sys.exit(1)
