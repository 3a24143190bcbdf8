from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings

from opsdesk.lib.command import OpsCommand

# gunicorn's default access line without the query string and the referer (which carries the previous page's
# query): a phone search (/orders/?q=138…) must not land in the access log (PIPL).
ACCESS_LOG_FORMAT = '%(h)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'


def whole_number(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number within [low, high], refused in words that name `what`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{what}应为整数: {text!r}") from exc
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应在 {low}-{high} 之间: {text}")
        return value

    return parse


port = whole_number("端口", 1, 65535)
workers = whole_number("进程数", 1, 64)


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "opsdesk.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
        "--logger-class", "opsdesk.web.serverlog.MaskedLogger",
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
