"""The inbox folder (OPSDESK_INBOX): the operators' browsers download the exports of the channels without an API
there; each finished file is imported (its source detected) and filed under done/YYYY-MM-DD/ or
rejected/YYYY-MM-DD/, a rejected one with a report beside it naming every bad row and column."""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from opsdesk.core.roles import system_user
from opsdesk.imports.fields import problem_place
from opsdesk.imports.services import ImportResult, import_file
from opsdesk.lib import dates
from opsdesk.lib.held import held

log = logging.getLogger(__name__)

# What browsers and download tools call a file they are still writing.
PARTIAL_SUFFIXES = (".crdownload", ".part", ".partial", ".download", ".tmp", ".opdownload")
FILED = ("done", "rejected")
IMPORTING = ".importing"


@dataclass
class InboxOutcome:
    result: ImportResult
    moved_to: Path

    def as_json(self) -> dict[str, Any]:
        return {**self.result.as_json(), "moved_to": str(self.moved_to)}


def inbox_dir() -> Path:
    folder = Path(settings.INBOX)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def inbox_ready(path: Path, *, now: float) -> bool:
    """A regular, visible, finished download that has not changed for INBOX_SETTLE_SECONDS."""
    if not path.is_file() or path.name.startswith((".", "~$")):
        return False
    if path.name.lower().endswith(PARTIAL_SUFFIXES) or _partner_partial(path):
        return False
    return now - path.stat().st_mtime >= settings.INBOX_SETTLE_SECONDS


def _partner_partial(path: Path) -> bool:
    """Chrome writes `x.xlsx.crdownload` and renames it; Firefox keeps an empty `x.xlsx` beside `x.xlsx.part`."""
    return any(path.with_name(path.name + suffix).exists() for suffix in PARTIAL_SUFFIXES)


def inbox_files() -> list[Path]:
    now = time.time()
    return sorted(path for path in inbox_dir().iterdir() if inbox_ready(path, now=now))


def _target(path: Path, status: str) -> Path:
    folder = inbox_dir() / ("rejected" if status == "rejected" else "done") / dates.now().date().isoformat()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return _free(folder, path.name)


def _free(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `name-1`, `name-2`… when taken (the same name downloaded again today: keep both)."""
    target, n = folder / name, 1
    while target.exists():
        target, n = folder / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
    return target


def report_text(result: ImportResult) -> str:
    lines = [f"文件: {result.file}", f"来源: {result.source or '未识别'}", f"结果: {result.status}", ""]
    for kind, problems in (("错误", result.errors), ("警告", result.warnings)):
        lines += [f"{kind}: {problem_place(problem)}{problem.get('message', '')}" for problem in problems]
    return "\n".join(lines) + "\n"


def _take(path: Path) -> Path | None:
    """Rename the file out of sight first, so that a second worker passing at the same time leaves it alone; into
    a folder of its own, so that a file of the same name downloaded meanwhile never replaces it."""
    folder = Path(tempfile.mkdtemp(dir=_importing(), prefix=""))
    taken = folder / path.name
    try:
        path.rename(taken)
    except FileNotFoundError:
        folder.rmdir()
        return None
    return taken


def _importing() -> Path:
    folder = inbox_dir() / IMPORTING
    folder.mkdir(exist_ok=True, mode=0o700)
    return folder


def inbox_file(path: Path) -> InboxOutcome | None:
    """Import one file, held (lib.held) from before it is taken until it is filed: a file left in .importing/
    and no longer held was taken by a pass that died (inbox_abandoned_return)."""
    try:
        with held(path) as mine:
            return _import_held(path) if mine else None
    except FileNotFoundError:  # taken by another pass since it was listed
        return None
    except OSError:  # unreadable, or a link: not held, but imported all the same, which files it and says why
        return _import_held(path)


def _import_held(path: Path) -> InboxOutcome | None:
    taken = _take(path)
    if taken is None:
        return None
    result = import_file(path=taken, name=path.name, via="inbox", user=system_user())
    target = _target(path, result.status)
    taken.rename(target)
    taken.parent.rmdir()
    if result.status == "rejected":
        target.with_name(target.name + ".report.txt").write_text(report_text(result), encoding="utf-8")
    return InboxOutcome(result=result, moved_to=target)


def inbox_abandoned_return() -> list[Path]:
    """Files a pass took and never filed (its process was killed mid-import: nothing of the import was committed,
    or all of it, which a second import finds unchanged) go back into the inbox, to be imported again."""
    returned, folder = [], _importing()
    for taken in sorted(path for path in (*folder.glob("*/*"), *folder.glob("*")) if path.is_file()):
        try:
            with held(taken) as mine:
                if mine:
                    back = _free(inbox_dir(), taken.name)
                    taken.rename(back)
                    returned.append(back)
        except FileNotFoundError:  # filed by its pass meanwhile
            continue
        except OSError as exc:  # one that cannot be opened (unreadable, a link) is left there, the rest go on
            log.warning("inbox: %s in .importing cannot be taken back: %s", taken.name, exc.strerror or exc)
            continue
        if taken.parent != folder:
            with contextlib.suppress(OSError):  # another pass's folder, still in use
                taken.parent.rmdir()
    return returned


def inbox_process() -> list[InboxOutcome]:
    """Import every finished file in the inbox now (the worker calls this every minute; `opsdesk inbox --once`),
    after taking back what a killed pass left."""
    inbox_abandoned_return()
    return [outcome for path in inbox_files() if (outcome := _inbox_file_logged(path)) is not None]


def _inbox_file_logged(path: Path) -> InboxOutcome | None:
    """One file's failure (the database gone away, a bug) stops neither the pass nor the files after it: the file
    waits in .importing/ and the next pass takes it back and tries again."""
    try:
        return inbox_file(path)
    except Exception:
        log.exception("inbox: %s could not be imported", path.name)
        return None
