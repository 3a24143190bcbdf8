"""The `opsdesk` console script: Django management commands under the interface's names."""

from __future__ import annotations

import os
import sys

# Names in interface.md that are not valid or not unique as Django command modules.
ALIASES = {"import": "import_files"}

OPSDESK_COMMANDS = (
    "init", "import", "orders", "exceptions", "checklist", "report", "ack", "rx", "tcm", "case", "stockout", "user",
    "serve", "demo", "pull", "worker", "sources", "inbox", "remind",
)


def _usage() -> str:
    lines = ["用法: opsdesk COMMAND [options]   (opsdesk COMMAND --help 查看各命令)", "", "commands:"]
    lines += [f"  {name}" for name in OPSDESK_COMMANDS]
    return "\n".join(lines)


def _settings_check() -> None:
    """A variable that is set but malformed (or an integration half configured) stops here, named, not as a
    traceback from deep inside Django."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading it loads the settings module)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"opsdesk: 配置错误: {exc}\n")
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        sys.exit(0 if args else 2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    _settings_check()
    from django.core.management import ManagementUtility

    args[0] = ALIASES.get(args[0], args[0])
    ManagementUtility(["opsdesk", *args]).execute()


if __name__ == "__main__":
    main()
