"""A large XLSX sheet parsed as two halves at once, one per core.

Calamine builds a sheet's whole range on one thread before fastexcel hands over any of it, and that parse is most
of a large import (2.0 of the 2.5 s of a re-import with 1 % of the orders changed, timed in the process). So the
sheet's XML is cut in two at a row boundary and each half is written as an XLSX of its own (stored, not compressed),
while the first half is already being parsed on another thread; both parses release the GIL. The halves hold
personal data: they live in a private temporary directory (mode 0700) that is removed once they are parsed,
whatever happened, by halves_discard when the process ends without waiting for the parse, and by the next parse
when the process was killed during one.

Each half carries one marker row, which fixes where calamine starts and ends its range (at the first and last cell
with a value, not at row 1 or column A): the first half ends with a marker on the second half's first row number,
the second half starts with one on the row before it, both in column A. Dropping the two markers joins the halves
into exactly the range of the whole sheet. Whatever does not fit that picture (several sheets, a prefixed
namespace, rows without numbers, a half with no value, a first column with none) gives None: the sheet is then
parsed whole, as before, which also reports what is wrong with a broken file."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# A sheet's XML below this is parsed whole: its parse takes a few tens of milliseconds, about what the split itself
# (threads, two files) would cost. A day's export of 7,000 lines has 8 MB of XML; parsed in halves it takes 0.15
# instead of 0.22 s (bench/README.md).
SPLIT_FROM = 4 * 1024 * 1024
# Beside a thread busy in Python (Django's start-up, beside an import's read ahead) a sheet is split only from this
# size: a whole parse of less takes the second core while the start-up runs and is done by about when it is.
# `opsdesk import` split against whole (medians of 7 and 5): a day's 8 MB 1.41 against 1.19 s, 15 MB 1.66 against
# 1.59 s; 30 MB 2.17 against 2.33 s, where splitting wins.
BESIDE_SPLIT_FROM = 24 * 1024 * 1024
# The first half gets a little more: its parse starts while the second half is still being inflated and written.
FIRST_SHARE = 0.55
# The sheet's XML is inflated and copied a megabyte at a time, except beside a thread busy in Python (Django's
# start-up, beside an import's read ahead): there each return from a read waits for that thread to give the GIL
# back, and 1 MB reads made the first half ready after 3.4 instead of 0.3 s. So beside one, one read inflates the
# first half and another the rest: the first half is ready after 0.7 s. Alone, such reads take 0.1 s longer than
# 1 MB ones (the memory they take).
CHUNK = 1024 * 1024
# Beside a busy thread the second half waits for it to be done (at most this long): until then the busy thread
# keeps a core to itself. With both halves parsing beside it, three threads shared two cores, and an unchanged file,
# which needs no parse, waited 0.1-0.3 s longer for Django's start-up.
BESIDE_WAIT = 30
# Longer than any row start tag the pattern can match, so that one cut by a chunk's end is found in the next.
CARRY = 64

ROW_START = re.compile(rb'<row r="(\d+)"')
SHEET_DATA = b"<sheetData>"
SHEET_DATA_END = b"</sheetData>"
SHEET_END = SHEET_DATA_END + b"</worksheet>"
MARKER = "0"
PREFIX = "opsdesk-halves-"
SHEET_FOLDERS = ("xl/worksheets/", "xl/chartsheets/", "xl/macrosheets/", "xl/dialogsheets/")

Parse = Callable[[str], Any]
Clean = Callable[[Any], Any]

# The directories of the parses running, and whether the process is ending (then no half is written any more).
_LOCK = threading.Lock()
_LIVE: set[str] = set()
_ENDING = threading.Event()


class _Whole(Exception):
    """The sheet is not one this module splits: parse it whole."""


@dataclass
class _Cut:
    head: bytes  # the worksheet's XML up to and including <sheetData>
    rest: bytes  # the inflated bytes from the second half's first row start on
    row: int  # the second half's first row number


def halves_read(
    path: Path, parse: Parse, clean: Clean | None = None, *, beside: threading.Event | None = None
) -> list[Any] | None:
    """The first sheet's columns (Arrow arrays, as parse gives them, joined), or None: parse the file whole.
    `clean`, an element-wise function of a column, is applied to each half's columns on that half's own thread, as
    soon as it is parsed: while the other half may still be parsing, instead of after both on one thread. `beside`:
    another thread is busy in Python meanwhile, until this is set (see BESIDE_SPLIT_FROM, CHUNK and BESIDE_WAIT)."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = _only_sheet(archive)
            if sheet is None or sheet.file_size < (SPLIT_FROM if beside is None else BESIDE_SPLIT_FROM):
                return None
            first, second = _halves_parse(archive, sheet, lambda half: _Half.of(parse(half), clean), beside=beside)
        return _columns_joined(first, second, clean)
    except Exception:  # noqa: BLE001 - the whole parse reads the file again and says what is wrong with it
        return None


def _only_sheet(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The workbook's one sheet; None when it has several (which of them is the first is the workbook's to say)."""
    sheets = [part for part in archive.infolist() if part.filename.startswith(SHEET_FOLDERS)
              and part.filename.endswith(".xml")]
    return sheets[0] if len(sheets) == 1 else None


def _halves_parse(
    archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, parse: Parse, *, beside: threading.Event | None
) -> tuple[Any, Any]:
    others = {part.filename: archive.read(part) for part in archive.infolist() if part is not sheet}
    with _private_directory() as directory, archive.open(sheet) as xml, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="half") as pool:
        first, second = Path(directory, "1.xlsx"), Path(directory, "2.xlsx")
        with _workbook(first, others, sheet.filename) as part:
            cut = _first_half_write(xml, part, want=int(sheet.file_size * FIRST_SHARE),
                                    first_read=CHUNK if beside is None else None)
        parsed = pool.submit(parse, str(first))
        with _workbook(second, others, sheet.filename) as part:
            for piece in (cut.head, _marker_row(cut.row - 1), cut.rest):
                part.write(piece)
            if beside is None:
                shutil.copyfileobj(xml, part, CHUNK)
            else:
                part.write(xml.read())
        if beside is not None:
            beside.wait(BESIDE_WAIT)
        later = parse(str(second))
        return parsed.result(), later


@contextmanager
def _private_directory() -> Iterator[str]:
    """Named after the process (opsdesk-halves-PID-…), so that the halves of one killed during its parse are found:
    by the next parse, once its own are parsed. The temporary directory may hold a thousand names, and looking
    through them first, beside a thread busy in Python (Django's start-up), held the first half back by 0.34 s."""
    prefix = f"{PREFIX}{os.getpid()}-"
    try:
        with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as directory:
            with _LOCK:
                _LIVE.add(directory)
            try:
                yield directory
            finally:
                with _LOCK:
                    _LIVE.discard(directory)
    finally:
        _orphans_remove()


def _orphans_remove() -> None:
    """Remove the halves of processes killed during their parse (SIGKILL, the kernel's OOM killer), which nothing
    else would: this user's directories named after a process that is gone. A process of the same number started
    since keeps them until it ends too."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).partition("-")[0]
        try:
            mine = folder.lstat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)  # a symlink is refused, not followed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def halves_discard() -> None:
    """Remove the halves of the parses still running, for a process that ends now without waiting for them (an
    import whose file read ahead was not needed): nothing of them is left behind, and none is written after."""
    with _LOCK:
        _ENDING.set()
        for directory in _LIVE:
            shutil.rmtree(directory, ignore_errors=True)


def _created(path: Path) -> IO[bytes]:
    """A new file for a half; under the lock, so that halves_discard cannot miss it."""
    with _LOCK:
        if _ENDING.is_set():
            raise _Whole("the process is ending")
        return path.open("xb")


@contextmanager
def _workbook(path: Path, others: dict[str, bytes], name: str) -> Iterator[IO[bytes]]:
    """A copy of the workbook with its other parts as they are, and the sheet's XML as written to the stream."""
    with _created(path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as book:
        for other, data in others.items():
            book.writestr(other, data)
        with book.open(name, "w") as part:
            yield part


def _first_half_write(xml: IO[bytes], part: IO[bytes], *, want: int, first_read: int | None) -> _Cut:
    """Copy the sheet's XML up to the first row that starts at or after `want` bytes, then close it with a marker on
    that row's number. `first_read`: how much the first read inflates (None: up to `want`)."""
    block = xml.read(max(want, CHUNK) if first_read is None else first_read)
    head, seen = _head(block), 0
    while block:
        found = ROW_START.search(block, max(want - seen, 0)) if seen + len(block) >= want else None
        end = block.find(SHEET_DATA_END, 0, found.start() if found else len(block))
        if end >= 0:
            raise _Whole("the rows end before the middle")
        if found and int(found.group(1)) >= 2:
            row = int(found.group(1))
            part.write(block[:found.start()] + _marker_row(row) + SHEET_END)
            return _Cut(head, block[found.start():], row)
        part.write(memoryview(block)[:-CARRY])  # not a copy of the first half
        seen, carry = seen + len(block) - CARRY, block[-CARRY:]
        chunk = xml.read(CHUNK)
        block = carry + chunk if chunk else b""
    raise _Whole("no numbered row after the middle")


def _head(block: bytes) -> bytes:
    """The worksheet's XML up to its rows: its views, columns' widths and formats fit in the first block."""
    start = block.find(SHEET_DATA)
    if start < 0:
        raise _Whole("no <sheetData> in the first block")
    return block[:start + len(SHEET_DATA)]


def _marker_row(row: int) -> bytes:
    return f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{MARKER}</t></is></c></row>'.encode()


@dataclass
class _Half:
    """A parsed half: what the join checks, taken from its cells as parsed, and its columns (cleaned if asked)."""

    rows: int
    kinds: list[Any]  # each column's type as parsed
    columns: list[Any]
    marked: tuple[bool, bool]  # its first row, its last row: a marker
    values_in_a: int  # cells with a value in column A, its marker included

    @classmethod
    def of(cls, batch: Any, clean: Clean | None) -> _Half | None:
        if batch is None:  # a workbook that names no sheet
            return None
        rows, columns = batch.num_rows, batch.columns
        marked = (_marker_at(batch, 0), _marker_at(batch, rows - 1)) if rows else (False, False)
        half = cls(rows, [column.type for column in columns], columns, marked,
                   rows - columns[0].null_count if columns else 0)
        del batch, columns
        if clean is not None:
            half.columns = [clean(column) for column in half.columns]
        return half

    def part(self, index: int, start: int, length: int, kind: Any, clean: Clean | None) -> Any:
        """Rows of one column; a column the half does not reach (no value in it there) is empty."""
        import pyarrow

        if index < len(self.columns):
            return self.columns[index].slice(start, length)
        empty = pyarrow.nulls(length, kind)
        return empty if clean is None else clean(empty)


def _columns_joined(first: _Half | None, second: _Half | None, clean: Clean | None) -> list[Any] | None:
    """The two parsed halves as the whole sheet's columns, without their marker rows; None where the markers show
    that calamine's range of the whole sheet would start or end elsewhere."""
    import pyarrow

    if first is None or second is None:
        return None
    if first.rows < 2 or second.rows < 2:  # a half whose only value is its marker
        return None
    if not (first.marked[1] and second.marked[0]):  # rows out of order
        return None
    if first.values_in_a == second.values_in_a == 1:  # the whole sheet's range would start after column A
        return None
    columns = []
    for index in range(max(len(first.kinds), len(second.kinds))):
        kinds = [half.kinds[index] for half in (first, second) if index < len(half.kinds)]
        if kinds[-1] != kinds[0]:
            return None
        parts = [first.part(index, 0, first.rows - 1, kinds[0], clean),
                 second.part(index, 1, second.rows - 1, kinds[0], clean)]
        columns.append(pyarrow.concat_arrays(parts))
    return columns


def _marker_at(batch: Any, row: int) -> bool:
    cells = [batch.column(index)[row].as_py() for index in range(batch.num_columns)]
    return cells[0] == MARKER and all(cell is None for cell in cells[1:])
