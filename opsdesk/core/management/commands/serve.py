from __future__ import annotations

import os
import sys
from typing import Any

from opsdesk.lib.command import OpsCommand


class Command(OpsCommand):
    help = "启动运营台网页 (gunicorn)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("OPSDESK_WORKERS", "3")))

    def handle(self, *args: Any, **options: Any) -> None:
        self.say(f"运营台: http://{options['host']}:{options['port']}/  (Ctrl+C 停止)")
        bind = f"{options['host']}:{options['port']}"
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "gunicorn", "opsdesk.wsgi:application", "--bind", bind,
             "--workers", str(options["workers"]), "--access-logfile", "-"],
        )
