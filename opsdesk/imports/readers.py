"""One reader layer: any export file → a table of text cells, column by column.

XLSX/XLS are read as text (fastexcel + Arrow when pyarrow is installed, else python-calamine), never as floats;
CSV is decoded as UTF-8 (with or without BOM) or GB18030. A file that is not a readable spreadsheet is refused
with a message that names it: never a traceback."""

from __future__ import annotations

import csv
import io
import os
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings

from opsdesk.imports.halves import halves_read
from opsdesk.lib.errors import Refused

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


_STRIP = " \t\r\n\u3000\ufeff\xa0"


def clean_cell(text: str) -> str:
    """Stray tabs/spaces and the leading `'` that keeps a number as text are not part of the value."""
    value = text.strip(_STRIP)
    if value.startswith("'"):
        value = value[1:].strip(_STRIP)
    return value


def clean_column(cells: list[str]) -> list[str]:
    """clean_cell over a whole column, at list-comprehension speed (NULs and the `'` case are rare)."""
    stripped = [cell.strip(_STRIP) for cell in cells]
    # One join and one search instead of a Python-level loop; a false hit only takes the slower exact path.
    joined = "\n" + "\n".join(stripped)
    if "\x00" in joined:  # no database text column can hold NUL
        stripped = [cell.replace("\x00", "").strip(_STRIP) for cell in stripped]
    if "\n'" in joined:
        return [clean_cell(cell) if cell[:1] == "'" else cell for cell in stripped]
    return stripped


def texts_of(array: Any) -> list[str]:
    """An Arrow string array (no nulls) as a Python list in which equal texts are one object: a column repeats its
    values (an order's cells on each of its lines, statuses, names), so this takes a fraction of to_pylist()'s
    memory, is faster, and the dictionary lookups that follow hash each text once."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary.to_pylist()
    return [distinct[code] for code in encoded.indices.to_pylist()]


class ArrowColumns(Sequence[list[str]]):
    """Arrow columns (as the XLSX reader makes them) as Python lists, each converted when first asked for: a
    re-import validates only the rows of the orders it changes, which it takes from the Arrow column."""

    def __init__(self, arrays: list[Any]) -> None:
        self.arrays = arrays
        self._lists: list[list[str] | None] = [None] * len(arrays)

    def __len__(self) -> int:
        return len(self.arrays)

    def __getitem__(self, index: int) -> list[str]:  # type: ignore[override]
        found = self._lists[index]
        if found is None:
            found = self._lists[index] = texts_of(self.arrays[index])
        return found

    def converted(self, index: int) -> bool:
        return self._lists[index] is not None

    def forget(self) -> None:
        """Drop the lists made so far (they are made again if asked for)."""
        self._lists = [None] * len(self.arrays)


@dataclass
class Table:
    """`columns[c][r]` is the cleaned text of row r (0-based; the spreadsheet shows r + 1), column c; blanks are ''.
    Cleaned: stray tabs/spaces and a leading `'` removed (see clean_cell)."""

    columns: Sequence[list[str]]
    nrows: int
    path: Path | None = None  # an Excel file, asked again about its cell types (numeric_cells)
    # CSV: per row, how many fields it had (up to its last non-blank one), and the delimiter.
    widths: list[int] | None = None
    # CSV: the fields the parser found in each row, trailing blanks included (a quote left open leaves fewer).
    lengths: list[int] | None = None
    delimiter: str = ","
    # No spreadsheet program ever saw these cells (an API's records): none was a number, whatever its digits.
    all_text: bool = False
    # What a reader that is no file could make no row of (an API's malformed records), each {"row", "column",
    # "message"}: left out of the import, named in its warnings.
    left_out: list[dict[str, Any]] = field(default_factory=list)

    def row(self, index: int) -> list[str]:
        if isinstance(self.columns, ArrowColumns):
            return [array[index].as_py() for array in self.columns.arrays]
        return [column[index] for column in self.columns]

    def arrow(self, index: int) -> Any:
        """Column `index` as an Arrow string array (made from the list when the reader made lists)."""
        import pyarrow

        if isinstance(self.columns, ArrowColumns):
            return self.columns.arrays[index]
        return pyarrow.array(self.columns[index], pyarrow.string())

    def cells(self, index: int, positions: list[int], *, contiguous: bool) -> list[str]:
        """Column `index` at these rows; `contiguous`: they are one run."""
        columns = self.columns
        if not positions:
            return []
        if isinstance(columns, ArrowColumns) and not columns.converted(index):
            array = columns.arrays[index]
            if contiguous:
                return texts_of(array.slice(positions[0], len(positions)))
            import pyarrow

            return texts_of(array.take(pyarrow.array(positions, pyarrow.int64())))
        column = columns[index]
        return column[positions[0]:positions[-1] + 1] if contiguous else [column[p] for p in positions]

    def numeric_cells(self, columns: list[int]) -> set[int] | None:
        """The rows where any of these columns holds a number cell (not text); None when the file cannot say
        (CSV). Read again cell by cell, so only asked when a suspicious value was seen."""
        if self.all_text:
            return set()
        if self.path is None:
            return None
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(self.path)).get_sheet_by_index(0).to_python()
        wanted = set(columns)
        return {r for r, row in enumerate(rows) for c, value in enumerate(row)
                if c in wanted and isinstance(value, int | float) and not isinstance(value, bool)}


def readers_preload() -> None:
    """Load fastexcel and Arrow's compute functions now: a process that lives to take files (the worker) pays
    their ~0.15 s once at its start instead of in the first file the operator is waiting for (a sixth of a day's
    export taken from the inbox). Without them (calamine is read instead) there is nothing to load."""
    try:
        import fastexcel  # noqa: F401
        import pyarrow.compute  # noqa: F401
    except ImportError:
        pass


def file_check(path: Path) -> None:
    """A regular file within the size limit, before anything reads it: a device (/dev/zero) or a FIFO would be read
    forever, a huge file hashed whole before its size is refused."""
    if not path.is_file():
        raise Refused(f"{path.name}: 文件不存在或不是普通文件" if path.exists() else f"{path.name}: 文件不存在")
    _size_check(path)


def read_table(path: Path) -> Table:
    path = Path(path)
    file_check(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        _zip_check(path)
    if path.suffix.lower() in EXCEL_SUFFIXES or head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        table = _read_excel(path)
    else:
        table = _read_csv(path)
    if table.nrows > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows(path)
    return table


MB = 1024 * 1024
# Small parts compress well without harm: the ratio is only judged on parts at least this large when unpacked.
RATIO_FLOOR = MB


def _size_check(path: Path) -> None:
    size = path.stat().st_size
    if size > settings.IMPORT_MAX_FILE_MB * MB:
        raise Refused(f"{path.name}: 文件太大 ({size / MB:.1f} MB, 上限 {settings.IMPORT_MAX_FILE_MB} MB, "
                      "见 OPSDESK_IMPORT_MAX_FILE_MB)")


def _zip_check(path: Path) -> None:
    """An XLSX is a zip: its directory says how large its parts unpack, so a zip bomb is refused unread."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refused(f"{path.name}: 无法读取, 文件已损坏、不完整或不是 Excel 表格") from exc
    total = sum(part.file_size for part in parts)
    if total > settings.IMPORT_MAX_UNCOMPRESSED_MB * MB:
        raise Refused(f"{path.name}: 解压后太大 ({total / MB:.0f} MB, 上限 {settings.IMPORT_MAX_UNCOMPRESSED_MB} MB, "
                      "见 OPSDESK_IMPORT_MAX_UNCOMPRESSED_MB)")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_FLOOR and ratio > settings.IMPORT_MAX_RATIO:
            raise Refused(f"{path.name}: 压缩比异常 ({part.filename} 解压后放大 {ratio:.0f} 倍, 上限 "
                          f"{settings.IMPORT_MAX_RATIO} 倍, 见 OPSDESK_IMPORT_MAX_RATIO); 不是正常的导出文件")


def _too_many_rows(path: Path) -> Refused:
    return Refused(f"{path.name}: 行数超过上限 {settings.IMPORT_MAX_ROWS} (见 OPSDESK_IMPORT_MAX_ROWS); 请分成几个文件导入")


def _read_excel(path: Path) -> Table:
    columns: Sequence[list[str]]
    try:
        columns = _excel_columns_arrow(path)
    except ImportError:
        columns = _excel_columns_calamine(path)
    except Exception as exc:  # fastexcel's errors carry no stable types worth telling apart
        raise Refused(f"{path.name}: 无法读取, 文件已损坏、不完整或不是 Excel 表格") from exc
    table = _table(columns)
    table.path = path
    return table


def _excel_columns_arrow(path: Path) -> Sequence[list[str]]:
    arrays = _ahead_take(path)
    if arrays is None:
        arrays = _arrow_arrays(path)
    return ArrowColumns(arrays) if arrays else []


def _arrow_arrays(path: Path, *, beside: threading.Event | None = None) -> list[Any]:
    """The first sheet's columns as cleaned Arrow string arrays (none for an empty sheet): a large XLSX as two
    halves parsed at once (halves.py), any other as a whole. `beside`: set once another thread, busy in Python
    meanwhile (Django's start-up), is done."""
    arrays = halves_read(path, _sheet_parse, _arrow_clean, beside=beside)
    if arrays is None:
        batch = _sheet_parse(str(path))
        if batch is None or batch.num_rows == 0:
            return []
        columns = batch.columns
        del batch
        arrays = [_arrow_clean(column) for column in columns]
        del columns
    heap_release()
    return arrays


def _sheet_parse(path: str) -> Any:
    """The first sheet as an Arrow batch of text cells (None: the workbook has no sheet). The sheet's cells (several
    times the Arrow data) are freed on return, before the cleaning makes its copies."""
    import fastexcel
    import pyarrow  # noqa: F401  (fastexcel hands its data over as Arrow)

    reader = fastexcel.read_excel(path)
    if not reader.sheet_names:
        return None
    return reader.load_sheet(0, header_row=None, dtypes="string").to_arrow()


class _ReadAhead(threading.Thread):
    def __init__(self, path: Path) -> None:
        super().__init__(name="read-ahead", daemon=True)
        self.path = path
        self.arrays: list[Any] | None = None  # None until read, if the read failed, and once passed over
        self.wanted = True
        # Set once the import asks for the arrays (or for another file's): Django's start-up is over by then.
        self.asked = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        try:
            arrays = _arrow_arrays(self.path, beside=self.asked)
        except Exception:  # noqa: BLE001 - the import reads the file again itself and reports what is wrong
            return
        with self._lock:
            if self.wanted:
                self.arrays = arrays

    def pass_over(self) -> None:
        """The import went on to another file (this one was unchanged): its arrays are not kept meanwhile."""
        with self._lock:
            self.wanted, self.arrays = False, None
        self.asked.set()


_AHEAD: dict[tuple[str, int, int], _ReadAhead] = {}


def _file_key(path: Path) -> tuple[str, int, int]:
    """The file as it is now: a file rewritten since it was read ahead is another key, so it is read again."""
    stat = path.stat()
    return os.path.realpath(path), stat.st_size, stat.st_mtime_ns


def read_ahead(path: Path) -> bool:
    """Start reading an XLSX file on another thread, for the `opsdesk import` process that is about to start
    Django: fastexcel's parse and Arrow's cleaning release the GIL, so they run on the second core meanwhile.
    Only a file that passes the checks before the parse is read ahead; anything unusual (a CSV, a refused or broken
    file) is left to read_table, which reads it as always and says what is wrong with it. True: started."""
    try:
        if not path.is_file():  # a FIFO would block the open; read_table refuses it
            return False
        with path.open("rb") as handle:
            if not handle.read(8).startswith(ZIP_MAGIC):
                return False
        _size_check(path)
        _zip_check(path)
        key = _file_key(path)
    except (Refused, OSError):
        return False
    _AHEAD[key] = _ReadAhead(path)
    _AHEAD[key].start()
    return True


def _ahead_take(path: Path) -> list[Any] | None:
    """The arrays read ahead for this very file (waiting for the thread to finish), or None."""
    ahead = _AHEAD.pop(_file_key(path), None)
    for other in _AHEAD.values():
        other.pass_over()
    if ahead is None:
        return None
    ahead.asked.set()
    ahead.join()
    return ahead.arrays


def reading_ahead() -> bool:
    """A read ahead is still running, for a file the import has not asked for (unchanged, or refused before)."""
    return any(ahead.is_alive() for ahead in _AHEAD.values())


def heap_release() -> None:
    """Give freed memory back to the system (glibc and Arrow's allocator keep it for their own later allocations,
    which Python's objects do not use): after the parse, and after the plan's Arrow work, the import goes on from
    the data it holds, not from the peak of what it held."""
    import ctypes

    import pyarrow

    pyarrow.default_memory_pool().release_unused()

    libc = ctypes.CDLL(None)  # the process's own symbols: glibc's where it is the C library, else no malloc_trim
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _arrow_clean(column: Any) -> Any:
    """clean_cell, vectorised in Arrow."""
    import pyarrow
    import pyarrow.compute as pc

    if column.null_count:  # coalesce: a sixth of fill_null's time
        column = pc.coalesce(column, pyarrow.scalar(""))
    column = pc.utf8_trim(column, characters=_STRIP)
    if pc.any(pc.match_substring(column, "\x00")).as_py():
        column = pc.utf8_trim(pc.replace_substring(column, "\x00", ""), characters=_STRIP)
    if pc.any(pc.starts_with(column, "'")).as_py():
        column = pc.utf8_trim(pc.replace_substring_regex(column, pattern="^'", replacement=""), characters=_STRIP)
    return column


def _excel_columns_calamine(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as exc:
        raise Refused(f"{path.name}: 无法读取, 文件已损坏、不完整或不是 Excel 表格") from exc
    width = max((len(row) for row in rows), default=0)
    return [clean_column([_cell_text(row[c]) if c < len(row) else "" for row in rows]) for c in range(width)]


def _cell_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # A float too large to be exact is how spreadsheets mangle long numbers: keep its E notation visible.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return "" if value is None else str(value)


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise Refused(f"{path.name}: 不是表格文件 (既不是 Excel 也不是 CSV)")
    text = _decode(path.name, data)
    first = text.split("\n", 3)[:3]
    delimiter = "\t" if not any("," in line for line in first) and any("\t" in line for line in first) else ","
    try:
        rows = list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                           settings.IMPORT_MAX_ROWS + 1))
    except csv.Error as exc:
        raise Refused(f"{path.name}: CSV 格式错误 ({exc})") from exc
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows(path)
    width = max((len(row) for row in rows), default=0)
    table = _table([clean_column([row[c] if c < len(row) else "" for row in rows]) for c in range(width)])
    table.widths, table.lengths, table.delimiter = [_width(row) for row in rows], [len(row) for row in rows], delimiter
    return table


def _width(row: list[str]) -> int:
    """Fields up to the last non-blank one (trailing empty fields are how some programs pad a row)."""
    width = len(row)
    while width and not row[width - 1].strip():
        width -= 1
    return width


def _decode(name: str, data: bytes) -> str:
    encodings = ["utf-8-sig"] if data.startswith(b"\xef\xbb\xbf") else ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused(f"{name}: 无法识别文件编码 (支持 UTF-8 和 GB18030/GBK)")


def _table(columns: Sequence[list[str]]) -> Table:
    return Table(columns=columns, nrows=len(columns[0]) if columns else 0)
