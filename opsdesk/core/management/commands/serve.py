from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.conf import settings

from opsdesk.lib.command import OpsCommand

# gunicorn's default access line without the query string and the referer (which carries the previous page's
# query): a phone search (/orders/?q=138…) must not land in the access log (PIPL).
ACCESS_LOG_FORMAT = '%(h)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"端口应为整数: {text!r}") from exc
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在 1-65535 之间: {text}")
    return value


def workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"进程数应为整数: {text!r}") from exc
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"进程数应在 1-64 之间: {text}")
    return value


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "opsdesk.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
    ]


class Command(OpsCommand):
    help = "启动运营台网页 (gunicorn)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=port, default=8000)
        parser.add_argument("--workers", type=workers, default=settings.WORKERS, help="进程数 (OPSDESK_WORKERS)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.say(f"运营台: http://{options['host']}:{options['port']}/  (Ctrl+C 停止)")
        argv = gunicorn_argv(host=options["host"], port=options["port"], workers=options["workers"])
        os.execvp(argv[0], argv)
