from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from opsdesk.demo.day import demo_moment
from opsdesk.demo.services import (
    demo_cases_open,
    demo_day_build,
    demo_dir_check,
    demo_dir_reset,
    demo_settings_apply,
    demo_users_make,
)
from opsdesk.lib import dates
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused

# Set on the re-executed process: the data directory it must end up using (stops a loop if it doesn't).
REEXEC_ENV = "OPSDESK_DEMO_DATA_DIR"
ROLE_NAMES = {"operator": "运营", "service": "客服", "pharmacist": "药师", "admin": "管理员"}


def demo_when(*, date_text: str | None, at_text: str | None) -> tuple[date, datetime]:
    """The demo day and moment: `--at` (its day unless `--date` says otherwise), else 09:20 of the demo day — today,
    or yesterday before 09:20, so that the demo's clock never runs ahead of the real one (the CLI, without the
    demo's clock, then sees the imports in the past)."""
    if at_text:
        moment = dates.parse_moment(at_text)
        return dates.parse_day(date_text, default=moment.date()), moment
    today = datetime.now(dates.SHANGHAI)
    latest = today.date() if today >= demo_moment(today.date()) else today.date() - timedelta(days=1)
    day = dates.parse_day(date_text, default=latest)
    return day, demo_moment(day)


def clock_start(moment: datetime) -> None:
    """From now on this process and those it starts (the desk, the worker) read `moment` as the time now, with the
    clock running on from there (settings.CLOCK_OFFSET)."""
    offset = int((moment - datetime.now(dates.SHANGHAI)).total_seconds())
    os.environ["OPSDESK_CLOCK_OFFSET"] = str(offset)
    settings.CLOCK_OFFSET = offset


class Command(OpsCommand):
    help = "演示: 全新的数据目录, 生成并导入一天的订单, 每个角色一个用户, 然后启动运营台"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--date", help="演示日 YYYY-MM-DD (默认今天, 上海时间 09:20 之前为昨天; 有 --at 时为其日期)")
        parser.add_argument("--at", help="演示时刻 (ISO 8601, 默认演示日 09:20): 运营台和后台任务的时钟从此刻走起")
        parser.add_argument("--data-dir", default="var/demo", help="演示数据目录, 每次清空重建 (默认 ./var/demo)")
        parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
        parser.add_argument("--no-serve", action="store_true", help="只准备数据, 不启动网页")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = Path(options["data_dir"]).expanduser().resolve()
        day, moment = demo_when(date_text=options["date"], at_text=options["at"])
        if os.environ.get("OPSDESK_DATABASE_URL"):  # said first: one who set it may think the demo ran on it
            self.progress("演示总是用演示数据目录里的 SQLite 数据库: 不用 OPSDESK_DATABASE_URL, 那个数据库不会被改动")
        demo_dir_check(path=wanted)
        if not self._uses(wanted):
            self._reexec(wanted, options)
        clock_start(moment)
        applied = demo_settings_apply()
        self.progress(f"演示数据目录: {wanted} (清空重建); 时钟从 {dates.local(moment):%Y-%m-%d %H:%M} 走起")
        demo_dir_reset(path=wanted)
        call_command("migrate", interactive=False, verbosity=0)
        users = demo_users_make()
        self.progress(f"生成并导入演示日 {day} 的导出文件:")
        result = demo_day_build(day=day, out_dir=wanted / "demo" / "exports", seed=options["seed"], moment=moment,
                                say=self.progress)
        cases = demo_cases_open(demo=result.demo)
        for line in cases:
            self.progress(f"  {line}")
        self.report(wanted, result, users, cases, options, applied)
        if not options["no_serve"]:
            connections.close_all()
            self._start_worker()
            call_command("serve", host=options["host"], port=options["port"])

    def _start_worker(self) -> None:
        """The worker beside the desk (uploads, sends, the inbox and reminders run there). It stops with the desk:
        Ctrl+C reaches both, and it watches for the desk's process (gunicorn takes this one's place) to end."""
        argv = [sys.executable, "-m", "opsdesk.cli", "worker", "--parent", str(os.getpid())]
        worker = subprocess.Popen(argv)  # noqa: S603 - our own command
        self.progress(f"后台任务 opsdesk worker 已启动 (pid {worker.pid})")

    def progress(self, text: str) -> None:
        self.stderr.write(text)

    @staticmethod
    def _uses(wanted: Path) -> bool:
        """Settings are read once at start: this process can build the demo only if they already point there."""
        database = settings.DATABASES["default"]
        return (
            Path(settings.DATA_DIR).resolve() == wanted
            and str(database["ENGINE"]).endswith("sqlite3")
            and Path(str(database["NAME"])).resolve().parent == wanted
        )

    def _reexec(self, wanted: Path, options: dict[str, Any]) -> None:
        """Start over as `opsdesk demo` with OPSDESK_DATA_DIR=wanted and the SQLite database inside it."""
        if os.environ.get(REEXEC_ENV) == str(wanted):
            raise Refused(f"无法切换到演示数据目录 {wanted} (检查 OPSDESK_DATA_DIR / OPSDESK_DATABASE_URL)")
        # An empty value, not a missing one: a .env file must not bring a PostgreSQL URL back.
        env = {**os.environ, "OPSDESK_DATA_DIR": str(wanted), "OPSDESK_DATABASE_URL": "", REEXEC_ENV: str(wanted)}
        argv = [sys.executable, "-m", "opsdesk.cli", "demo", "--data-dir", str(wanted), "--host", options["host"],
                "--port", str(options["port"]), "--seed", str(options["seed"])]
        argv += ["--date", options["date"]] if options["date"] else []
        argv += ["--at", options["at"]] if options["at"] else []
        argv += ["--no-serve"] if options["no_serve"] else []
        argv += ["--json"] if self.as_json else []
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execvpe(sys.executable, argv, env)

    def report(self, wanted: Path, result: Any, users: list[dict[str, str]], cases: list[str],
               options: dict[str, Any], applied: dict[str, str]) -> None:
        demo = result.demo
        exports = wanted / "demo" / "exports"
        if self.as_json:
            self.emit({"data_dir": str(wanted), "date": demo.day.isoformat(), "at": dates.iso(demo.moment),
                       "exports": str(exports), "users": users, "imports": result.imports, "cases": cases,
                       "settings": applied,
                       "url": None if options["no_serve"] else f"http://{options['host']}:{options['port']}/"})
            return
        width = max(len(user["username"]) for user in users) + 2
        lines = ["", f"{'username'.ljust(width)}{'role'.ljust(12)}{'password'.ljust(16)}角色", "-" * (width + 34)]
        lines += [f"{u['username'].ljust(width)}{u['role'].ljust(12)}{u['password'].ljust(16)}{ROLE_NAMES[u['role']]}"
                  for u in users]
        lines += ["", f"演示时刻: {dates.local(demo.moment):%Y-%m-%d %H:%M} (规则按此刻计算: opsdesk exceptions "
                      f"--at {dates.local(demo.moment):%Y-%m-%dT%H:%M:%S})",
                  f"导出文件: {exports} (可在 /imports/ 页面再次上传试用)"]
        lines += [f"演示配置: {name}={value} (虚构, 演示用)" for name, value in applied.items()]
        self.stdout.write("\n".join(lines))
