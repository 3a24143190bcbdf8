"""Importing export files: read → find the header row and the source → validate every row → one atomic write.

A file with any bad row is rejected whole (every error listed, nothing written); the same file again is a no-op.
Every file gets an ImportRecord, rejected ones too."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from opsdesk.core.roles import permission_require
from opsdesk.imports.fields import Problems, Rows
from opsdesk.imports.forms import record_name
from opsdesk.imports.freshness import export_time
from opsdesk.imports.models import ImportRecord, ImportStatus
from opsdesk.imports.profiles import Layout, layout_find, profiles_load
from opsdesk.imports.readers import Table, file_check, read_table
from opsdesk.imports.sources import Source, source_for, write_atomic
from opsdesk.lib import dates
from opsdesk.lib.errors import Refused

IMPORT_PERMISSION = "imports.run_import"

# progress(stage, count): stage "read" (rows read) or "written" (records written).
Progress = Callable[[str, int], None]


@dataclass
class ImportResult:
    file: str
    source: str
    status: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != ImportStatus.REJECTED

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "source": self.source, "status": self.status, "rows": self.rows,
            "created": self.created, "updated": self.updated, "errors": self.errors, "warnings": self.warnings,
        }


def import_files(
    *, paths: Iterable[Path], user: Any, source: str | None = None, progress: Progress | None = None
) -> list[ImportResult]:
    return [import_file(path=Path(path), source=source, user=user, progress=progress) for path in paths]


def import_file(
    *, path: Path, user: Any, source: str | None = None, progress: Progress | None = None,
    name: str | None = None, via: str = "",
) -> ImportResult:
    """Import one export file; `name` is what results and records call it (default: the path as given), `via`
    how it came in (cli, web, inbox: the sources strip says so). A user who may not import is refused (raised:
    there is no file result to speak of)."""
    permission_require(user, IMPORT_PERMISSION, doing="导入文件")
    path, started = Path(path), time.monotonic()
    label = record_name(name or str(path))
    digest = ""
    try:
        file_check(path)
        digest = _sha256(path)
        result = _previous(label, digest, source) or _import(path, label, source, user, progress)
    except Refused as exc:
        result = _rejected(label, source, exc)
    _record(result, digest=digest, user=user, via=via, seconds=time.monotonic() - started)
    return result


def import_table(*, read: Callable[[], Table], name: str, source: str, user: Any, via: str = "") -> ImportResult:
    """A table that is no file (the 万里牛 OPEN API's trades, opsdesk.hupun): `read()` runs before the write
    transaction, so its network waits never hold the database; then it is detected, validated, written and recorded
    as a file of `source` would be (a Refused from `read()` is recorded as rejected, like a bad file), except that its
    bad rows are left out, each named in a warning, and the rest written: nobody can correct the table and bring it
    again, as one does a file, and the next read would bring the same bad record and refuse the rest with it."""
    permission_require(user, IMPORT_PERMISSION, doing="导入文件")
    started = time.monotonic()
    try:
        table = read()
        # What the API answers is as of now, whatever window its name gives (an older export loses to it); the
        # desk's now (lib.dates: a demo's clock is moved), as every export time is compared with it.
        result = _import_table(table, name, source, user, None, file_name=name, stated_at=dates.now(),
                               leave_out=True)
    except Refused as exc:
        result = _rejected(name, source, exc)
    _record(result, digest="", user=user, via=via, seconds=time.monotonic() - started)
    return result


def _rejected(label: str, source: str | None, exc: Refused) -> ImportResult:
    return ImportResult(file=label, source=source or "", status=ImportStatus.REJECTED,
                        errors=[{"row": None, "column": None, "message": str(exc)}])


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise Refused(f"{path}: 无法打开文件 ({exc.strerror or exc})") from exc


def _previous(label: str, digest: str, source: str | None) -> ImportResult | None:
    """The same bytes imported before: nothing to do."""
    done = ImportRecord.objects.filter(sha256=digest).exclude(status=ImportStatus.REJECTED)
    if source:
        done = done.filter(source=source)
    record = done.order_by("-id").first()
    if record is None:
        return None
    return ImportResult(file=label, source=record.source, status=ImportStatus.UNCHANGED, rows=record.rows)


def _import(path: Path, label: str, source: str | None, user: Any, progress: Progress | None) -> ImportResult:
    table = read_table(path)
    if progress:
        progress("read", table.nrows)
    return _import_table(table, label, source, user, progress, file_name=path.name)


def _import_table(
    table: Table, label: str, source: str | None, user: Any, progress: Progress | None, *, file_name: str,
    stated_at: datetime | None = None, leave_out: bool = False,
) -> ImportResult:
    layout = layout_find(table, profiles_load(), source=source, file_name=file_name)
    kind = source_for(layout.profile)
    stated_at = stated_at or _stated_export_time(table, layout, label)
    future = stated_at is not None and stated_at > dates.now() + FUTURE_SLACK
    if future:  # a date in the name that is no export time (or a mistyped one) would make every later export older
        stated, stated_at = stated_at, None
    rows, records, problems = _validate(table, layout, kind, stated_at, left_out=table.left_out)
    if leave_out and problems.errors and all(error["row"] for error in problems.errors):
        bad = {error["row"] for error in problems.errors}
        kept = [position for position in rows.positions if position + 1 not in bad]
        # Validated again without them: what is written is checked as a whole (keys that agree, counts, warnings).
        rows, records, problems = _validate(table, layout, kind, stated_at, positions=kept,
                                            left_out=[*table.left_out, *_keys_named(table, layout, problems.errors)])
    if future:
        problems.warn(None, None, f"文件标题或文件名里的时间 {stated:%Y-%m-%d %H:%M} 晚于现在, 不作为导出时间")
    rows.forget()
    result = ImportResult(file=label, source=layout.profile.source, status=ImportStatus.REJECTED, rows=len(rows))
    if problems.errors:
        result.errors, result.warnings = problems.errors, problems.warnings
        return result
    written = write_atomic(kind, records, user=user)
    if progress:
        progress("written", written.created + written.updated)
    kind.after(written, records=records, problems=problems, user=user)
    result.created, result.updated, result.warnings = written.created, written.updated, problems.warnings
    result.status = ImportStatus.IMPORTED if written.created or written.updated else ImportStatus.UNCHANGED
    return result


def _keys_named(table: Table, layout: Layout, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each left-out row named by its key (系统单号 XD…): a pulled table's row numbers are nothing anyone can look
    up, the ERP's number is."""
    index = layout.columns[layout.profile.required[0]][0]
    header = table.row(layout.header_row)[index]
    return [{**error, "message": f"{header} {table.row(error['row'] - 1)[index]}: {error['message']}"}
            for error in errors]


def _validate(
    table: Table, layout: Layout, kind: Source, stated_at: datetime | None, *, positions: list[int] | None = None,
    left_out: list[dict[str, Any]] | None = None,
) -> tuple[Rows, Any, Problems]:
    """The rows (these `positions`, else every data row) as the kind's records, with their problems; the rows
    `left_out` before are named in its warnings."""
    problems = Problems()
    problems.leave_out(left_out or [])
    _unknown_columns(layout, problems)
    rows = Rows(table, layout, problems, stored_in=kind.stored_in, positions=positions)
    rows.check_widths()
    return rows, kind.records(rows, stated_at=stated_at), problems


# How far ahead of the desk's clock a stated export time may be (the exporting PC's clock may run ahead).
FUTURE_SLACK = timedelta(hours=1)


def _stated_export_time(table: Table, layout: Layout, label: str) -> datetime | None:
    """The export time in the title lines above the header, else in the file's name."""
    titles = [cell for row in range(layout.header_row) for cell in table.row(row) if cell]
    return export_time([*titles, Path(label).name])


def _unknown_columns(layout: Layout, problems: Problems) -> None:
    if layout.unknown:
        problems.warn(layout.header_row + 1, None, f"未识别的列已忽略: {', '.join(layout.unknown)}")


def _record(result: ImportResult, *, digest: str, user: Any, via: str, seconds: float) -> None:
    ImportRecord.objects.create(
        file_name=result.file, sha256=digest, source=result.source, status=result.status, rows=result.rows,
        created=result.created, updated=result.updated, errors=result.errors, warnings=result.warnings,
        user=user, via=via, seconds=round(seconds, 3),
    )
