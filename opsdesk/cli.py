"""The `opsdesk` console script: Django management commands under the interface's names. Whatever goes wrong
outside a command's own refusals (settings, database, files, a closed pipe) ends in one line and exit 1."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

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
    _start(args)
    from django.core.management import ManagementUtility, get_commands

    if args[0] not in get_commands():  # a usage error (exit 2), as the interface says; Django's own says 1
        print(f"opsdesk: 未知命令 {args[0]!r} (opsdesk help 列出全部命令)", file=sys.stderr)
        sys.exit(2)
    ManagementUtility(["opsdesk", *args]).execute()  # its own django.setup() finds the apps loaded


def _start(args: list[str]) -> None:
    """Settings, the read ahead of an import, and Django's start-up. What the start-up makes lives as long as the
    process: nothing is collected while it is made, and once frozen no collection scans it again (0.1-0.2 s of an
    import's CPU). The command itself collects as usual."""
    gc.disable()
    try:
        import django
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - reads the settings now, so that a malformed OPSDESK_* is one line
        if args[0] == "import_files":
            _read_ahead(args[1:])
        django.setup()
        gc.freeze()
    finally:
        gc.enable()


def _read_ahead(args: list[str]) -> None:
    """`opsdesk import FILE…`: the first spreadsheet among the arguments starts being parsed now, beside Django's
    start-up (readers.read_ahead). An argument taken for a file that the command then does not import (an option's
    value) costs only that parse: the import uses what was read ahead only for the very file it opens."""
    from opsdesk.imports.readers import read_ahead

    for arg in args:
        if not arg.startswith("-") and read_ahead(Path(arg)):
            return


def _end_reading_ahead(code: object) -> None:
    """A file still being read ahead was not needed (unchanged since its last import, or refused first): the
    process ends now instead of waiting for the parse. A normal exit would also stop the thread wherever it is,
    which may be inside fastexcel's native code."""
    readers = sys.modules.get("opsdesk.imports.readers")
    if readers is None or not readers.reading_ahead():
        return
    from django.db import connections

    from opsdesk.imports.halves import halves_discard

    halves_discard()  # the parse may be writing its halves: they hold personal data

    with contextlib.suppress(Exception):  # the process ends either way: a broken connection is the server's to drop
        connections.close_all()
    logging.shutdown()
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


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
    try:
        guarded(name, lambda: _run(args))
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _closed_pipe()
    except SystemExit as done:
        _end_reading_ahead(done.code)
        raise
    _end_reading_ahead(0)


if __name__ == "__main__":
    main()
