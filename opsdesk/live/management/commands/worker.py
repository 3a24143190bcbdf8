"""`opsdesk worker [--interval S] [--once]`: the background worker. Each pass hands the schedules' due slots to
the queue, then runs what is queued (scheduled pulls, the inbox, reminders, uploaded imports, sends) until the queue
is empty. Several workers may share one PostgreSQL database: slots and tasks are claimed in it."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import time
from types import FrameType
from typing import Any

from django_tasks_db.management.commands.db_worker import Worker

from opsdesk.imports.readers import readers_preload
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import now
from opsdesk.live.jobs import schedules_tick
from opsdesk.live.uploads import uploads_abandoned_fail


def seconds(text: str) -> float:
    """`--interval`: a finite number of seconds, a tenth to an hour."""
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"秒数应为数字: {text!r}") from exc
    if not 0.1 <= value <= 3600:  # also refuses nan and inf; 0 would spin on the database
        raise argparse.ArgumentTypeError(f"秒数应在 0.1-3600 之间: {text}")
    return value


class Command(OpsCommand):
    help = "后台任务: 定时拉取、收件夹、截止提醒、网页上传的导入与发送"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=seconds, default=5.0, help="队列空闲时每隔几秒查看一次 (默认 5)")
        parser.add_argument("--once", action="store_true", help="处理一轮 (到期的定时任务和队列里的任务) 后退出")
        parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # opsdesk demo: stop when the desk stops

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True
        self.worker: Worker | None = None
        if not options["once"]:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._stop)
        name = f"{socket.gethostname()}-{os.getpid()}"[:64]
        readers_preload()
        self.say(f"opsdesk worker {name} 已启动")
        while self.running:
            self._pass(name)
            if options["once"]:
                return
            self._sleep(options["interval"])
            if options["parent"] and os.getppid() != options["parent"]:
                self.say(f"opsdesk worker {name}: 运营台已停止, 后台任务随之停止")
                return

    def _pass(self, name: str) -> None:
        for upload in uploads_abandoned_fail():
            self.say(f"{now():%H:%M:%S} 网页上传 {upload} 的导入已中断 (之前的后台进程停止了), 已标为失败")
        for code in schedules_tick(at=now()):
            self.say(f"{now():%H:%M:%S} 定时任务 {code} 已排队")
        self.worker = Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id=name, excluded_queue_names=[],
        )
        self.worker.run()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(0.2)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        """Finish the task at hand, then stop (a second signal stops at once)."""
        if not self.running:
            raise SystemExit(1)
        self.running = False
        if self.worker is not None:
            self.worker.running = False
