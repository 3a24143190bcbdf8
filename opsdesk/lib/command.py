"""Base class for every `opsdesk` command: `--json` on stdout, human messages on stderr, exit 1 on refusal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from opsdesk.lib.errors import Refused


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def database_problem(exc: DatabaseError) -> str:
    """What to tell a person whose database is missing, not migrated or unreachable (no traceback)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "no such table" in text or "does not exist" in text or "no such column" in text:
        return f"数据库尚未初始化或需要升级, 请先运行 opsdesk init ({text})"
    return f"数据库错误: {text}"


def interface_name(command: str) -> str:
    """The name interface.md gives the Django command `command` (the console script maps it back)."""
    from opsdesk.cli import ALIASES

    return next((name for name, module in ALIASES.items() if module == command), command)


class OpsCommand(BaseCommand):
    # Django's --settings/--pythonpath/--traceback/--no-color/--force-color/--skip-checks clutter `--help`.
    suppressed_base_arguments = {"--settings", "--pythonpath", "--no-color", "--force-color", "--skip-checks"}
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
        return parser

    @staticmethod
    def add_subcommand(subparsers: Any, name: str, **kwargs: Any) -> Any:
        """A sub-command (`case open`, `rx review`…) that also takes `--json` after its own arguments."""
        parser = subparsers.add_parser(name, **kwargs)
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="JSON on stdout")
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        self.as_json = bool(options.get("json"))
        try:
            return super().execute(*args, **options)
        except Refused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except DatabaseError as exc:
            raise CommandError(database_problem(exc), returncode=1) from exc

    def run_from_argv(self, argv: list[str]) -> None:
        """Like Django's, but a refusal prints `opsdesk CMD: message` instead of `CommandError: message`, CMD
        being the interface's name of the command (`import`, not its module `import_files`), as usage says too."""
        self._called_from_command_line = True
        name = interface_name(argv[1])
        parser = self.create_parser(argv[0], name)
        options = vars(parser.parse_args(argv[2:]))
        args = options.pop("args", ())
        try:
            self.execute(*args, **options)
        except CommandError as exc:
            if options.get("traceback"):
                raise
            self.stderr.write(f"opsdesk {name}: {exc}")
            sys.exit(exc.returncode)
        finally:
            connections.close_all()

    def emit(self, payload: Any) -> None:
        """Write the --json payload; callers print human text themselves."""
        self.stdout.write(to_json(payload))

    def say(self, text: str) -> None:
        """Human output: stdout normally, stderr when stdout carries JSON."""
        (self.stderr if self.as_json else self.stdout).write(text)
