"""The `opsdesk` console script: Django management commands under the interface's names. Whatever goes wrong
outside a command's own refusals (settings, database, files, a closed pipe) ends in one line and exit 1."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

# Names in interface.md that are not valid or not unique as Django command modules.
ALIASES = {"import": "import_files"}

OPSDESK_COMMANDS = (
    "init", "import", "orders", "exceptions", "checklist", "report", "ack", "rx", "tcm", "case", "stockout", "user",
    "serve", "demo", "pull", "worker", "sources", "inbox", "remind", "backup", "restore",
)


def _usage() -> str:
    lines = ["用法: opsdesk COMMAND [options]   (opsdesk COMMAND --help 查看各命令)", "", "commands:"]
    lines += [f"  {name}" for name in OPSDESK_COMMANDS]
    return "\n".join(lines)


def _closed_pipe() -> None:
    """`opsdesk orders | head`: the reader left; point stdout at /dev/null so that the final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


def problem(exc: BaseException) -> str:
    """One line for an error the person can act on (no traceback)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from opsdesk.lib.command import database_problem

    if isinstance(exc, ImproperlyConfigured):
        return f"配置错误: {exc}"
    if isinstance(exc, DatabaseError):
        return database_problem(exc)
    if isinstance(exc, UnicodeError):
        return f"参数或文件名不是有效的 UTF-8 文本 ({getattr(exc, 'reason', exc)})"
    if isinstance(exc, OSError):
        return f"文件或系统错误: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    logging.getLogger("opsdesk.cli").exception("unexpected error")
    return f"内部错误 {type(exc).__name__}: {exc} (详情见数据目录的 logs/opsdesk.log)"


def guarded(name: str, run: Callable[[], None]) -> None:
    try:
        run()
    except BrokenPipeError:
        _closed_pipe()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if "--traceback" in sys.argv:
            raise
        print(f"opsdesk {name}: {problem(exc)}", file=sys.stderr)
        sys.exit(1)


def _run(args: list[str]) -> None:
    from django.conf import settings
    from django.core.management import ManagementUtility

    settings.INSTALLED_APPS  # noqa: B018 - reads the settings now, so that a malformed OPSDESK_* is one line
    ManagementUtility(["opsdesk", *args]).execute()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        sys.exit(0 if args else 2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    # A file name that is not UTF-8 is echoed escaped rather than failing the print.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # not on a test's StringIO
        if reconfigure:
            reconfigure(errors="backslashreplace")
    name = args[0]
    args[0] = ALIASES.get(name, name)
    guarded(name, lambda: _run(args))
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _closed_pipe()


if __name__ == "__main__":
    main()
