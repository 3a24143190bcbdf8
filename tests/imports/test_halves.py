"""A large XLSX sheet is parsed as two halves at once (imports/halves.py): the joined halves are exactly the whole
sheet's parse, and anything the split cannot vouch for is parsed whole."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsdesk.imports import halves
from opsdesk.imports.halves import halves_discard, halves_read
from opsdesk.imports.readers import _arrow_clean, _sheet_parse, read_table

Cell = str | float | datetime | None
CELLS = st.one_of(st.none(), st.text("订单AZ09 '", max_size=6), st.floats(-1e6, 1e6, allow_nan=False),
                  st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)).map(lambda moment: moment.replace(microsecond=0)))


@pytest.fixture(autouse=True)
def _every_sheet_splits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Small sheets split as large ones do, and the halves are written where the test can look."""
    monkeypatch.setattr(halves, "SPLIT_FROM", 0)
    monkeypatch.setattr(halves, "BESIDE_SPLIT_FROM", 0)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def workbook(path: Path, rows: list[list[Cell]], *, top: int = 0, left: int = 0, inline: bool = False,
             sheets: int = 1) -> Path:
    """rows from (top, left); inline: strings in the cells (as large exports write them), else shared."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for _ in range(sheets):
        sheet = book.add_worksheet()
        for number, row in enumerate(rows):
            for column, cell in enumerate(row):
                if isinstance(cell, datetime):
                    sheet.write_datetime(top + number, left + column, cell, when)
                elif cell is not None:
                    sheet.write(top + number, left + column, cell)
    book.close()
    return path


def whole(path: Path) -> list[Any]:
    return _sheet_parse(str(path)).columns


def lists(columns: list[Any]) -> list[list[Any]]:
    return [column.to_pylist() for column in columns]


def done(beside: bool) -> threading.Event | None:
    """A busy thread beside the read that is done already, or none."""
    if not beside:
        return None
    event = threading.Event()
    event.set()
    return event


def dense(count: int) -> list[list[Cell]]:
    return [[f"GW{number:05d}", f"商品{number}", float(number), None if number % 3 else "留言"] for number in range(count)]


def test_the_joined_halves_are_the_whole_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", dense(400), inline=True)
    columns = halves_read(path, _sheet_parse)
    assert columns is not None
    assert lists(columns) == lists(whole(path))


@pytest.mark.parametrize("beside", [False, True])
def test_the_halves_are_the_whole_sheet_however_the_xml_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, beside: bool) -> None:
    """In reads of 1 KB, or (beside a busy thread) one read up to the middle and one of the rest."""
    monkeypatch.setattr(halves, "CHUNK", 1024)
    path = workbook(tmp_path / "a.xlsx", dense(2000), inline=True)
    columns = halves_read(path, _sheet_parse, beside=done(beside))
    assert columns is not None
    assert lists(columns) == lists(whole(path))


def test_a_shared_strings_workbook_is_split_too(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", dense(400))
    columns = halves_read(path, _sheet_parse)
    assert columns is not None and len(columns[0]) == 400
    assert columns[0].to_pylist()[399] == "GW00399"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, max_size=5), min_size=1, max_size=40), top=st.integers(0, 3),
       left=st.sampled_from([0, 0, 0, 2]), inline=st.booleans(), beside=st.booleans())
def test_whatever_the_cells_the_halves_are_the_whole_sheet_or_it_is_parsed_whole(
        tmp_path: Path, rows: list[list[Cell]], top: int, left: int, inline: bool, beside: bool) -> None:
    path = workbook(tmp_path / "f.xlsx", rows, top=top, left=left, inline=inline)
    columns = halves_read(path, _sheet_parse, beside=done(beside))
    if columns is not None:
        assert lists(columns) == lists(whole(path))
        cleaned = halves_read(path, _sheet_parse, _arrow_clean)
        assert cleaned is not None and lists(cleaned) == lists([_arrow_clean(column) for column in whole(path)])


def test_each_half_is_cleaned_on_its_own_thread(tmp_path: Path) -> None:
    rows = [[f" GW{number:05d}", f"'商品{number} ", None, None if number % 3 else "留言"] for number in range(400)]
    path = workbook(tmp_path / "a.xlsx", rows, inline=True)
    threads: set[str] = set()

    def clean(column: Any) -> Any:
        threads.add(threading.current_thread().name)
        return _arrow_clean(column)

    columns = halves_read(path, _sheet_parse, clean)
    assert columns is not None and len(threads) == 2
    assert lists(columns)[:3] == [[f"GW{n:05d}" for n in range(400)], [f"商品{n}" for n in range(400)], [""] * 400]


def test_rows_left_empty_around_the_middle_stay_in_place(tmp_path: Path) -> None:
    rows = dense(400)
    for number in range(150, 260):
        rows[number] = [None] * 4
    path = workbook(tmp_path / "a.xlsx", rows, top=2, inline=True)
    columns = halves_read(path, _sheet_parse)
    assert columns is not None and len(columns[0]) == 400
    assert columns[0].to_pylist()[149:261] == ["GW00149", *[None] * 110, "GW00260"]


def test_a_sheet_whose_first_column_is_empty_is_parsed_whole(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", dense(400), left=1, inline=True)
    assert halves_read(path, _sheet_parse) is None
    assert read_table(path).row(0)[0] == "GW00000"


def test_a_half_with_no_value_is_parsed_whole(tmp_path: Path) -> None:
    """Styled blank cells are rows in the XML but no values in calamine's range: here all of the second half."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet, shaded = book.add_worksheet(), book.add_format({"bg_color": "#EEEEEE"})
    for number, row in enumerate(dense(100)):
        sheet.write_row(number, 0, row)
    for number in range(100, 1000):
        sheet.write_blank(number, 0, None, shaded)
    book.close()
    assert halves_read(path, _sheet_parse) is None
    assert read_table(path).nrows == 100


def test_a_workbook_of_several_sheets_is_parsed_whole(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", dense(400), sheets=2)
    assert halves_read(path, _sheet_parse) is None


def test_a_small_sheet_is_parsed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "SPLIT_FROM", 4 * 1024 * 1024)
    assert halves_read(workbook(tmp_path / "a.xlsx", dense(400)), _sheet_parse) is None


def test_beside_a_busy_thread_only_a_larger_sheet_is_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "a.xlsx", dense(400), inline=True)
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    monkeypatch.setattr(halves, "BESIDE_SPLIT_FROM", size + 1)
    assert halves_read(path, _sheet_parse, beside=done(True)) is None
    assert halves_read(path, _sheet_parse) is not None


def test_the_halves_are_removed_once_parsed(tmp_path: Path, _every_sheet_splits: Path) -> None:
    seen: list[Path] = []

    def parse(path: str) -> Any:
        seen.append(Path(path))
        return _sheet_parse(path)

    assert halves_read(workbook(tmp_path / "a.xlsx", dense(400)), parse) is not None
    assert len(seen) == 2 and all(path.is_relative_to(_every_sheet_splits) for path in seen)
    assert list(_every_sheet_splits.iterdir()) == []


def test_a_half_that_fails_to_parse_leaves_nothing_and_the_sheet_is_parsed_whole(
        tmp_path: Path, _every_sheet_splits: Path) -> None:
    def parse(path: str) -> Any:
        if path.endswith("2.xlsx"):
            raise ValueError("broken half")
        return _sheet_parse(path)

    assert halves_read(workbook(tmp_path / "a.xlsx", dense(400)), parse) is None
    assert list(_every_sheet_splits.iterdir()) == []


def test_a_sheet_whose_bytes_fail_their_checksum_is_parsed_whole_as_before(tmp_path: Path) -> None:
    """zipfile checks the checksum, calamine does not: the split gives up and the file reads as it always did."""
    path = workbook(tmp_path / "a.xlsx", dense(400), inline=True)
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as target:
        for part in source.infolist():
            target.writestr(part.filename, source.read(part))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(stored.read_bytes().replace(b"GW00300", b"GW00301"))
    assert halves_read(broken, _sheet_parse) is None
    assert read_table(broken).row(300)[0] == "GW00301"


def test_a_process_ending_during_the_parse_leaves_no_half_behind(
        tmp_path: Path, _every_sheet_splits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "_ENDING", threading.Event())
    parsing, ended = threading.Event(), threading.Event()

    def parse(path: str) -> Any:
        parsing.set()
        ended.wait(10)
        return _sheet_parse(path)

    path = workbook(tmp_path / "a.xlsx", dense(400))
    reading = threading.Thread(target=halves_read, args=(path, parse))
    reading.start()
    assert parsing.wait(10)
    halves_discard()
    assert list(_every_sheet_splits.iterdir()) == []
    ended.set()
    reading.join(10)
    assert list(_every_sheet_splits.iterdir()) == []
    assert halves_read(path, _sheet_parse) is None  # nothing is written once the process is ending


# A process killed (SIGKILL) while its first half is parsed.
KILLED = """
import sys, tempfile, time
from pathlib import Path
tempfile.tempdir = sys.argv[1]
from opsdesk.imports import halves
halves.SPLIT_FROM = 0
def parse(path):
    Path(sys.argv[3]).touch()
    time.sleep(60)
halves.halves_read(Path(sys.argv[2]), parse)
"""


def test_the_halves_of_a_killed_process_are_removed_by_the_next_parse(
        tmp_path: Path, _every_sheet_splits: Path) -> None:
    path, parsing = workbook(tmp_path / "a.xlsx", dense(400)), tmp_path / "parsing"
    living = _every_sheet_splits / f"opsdesk-halves-{os.getppid()}-x"  # another process's, still running
    living.mkdir()
    child = subprocess.Popen([sys.executable, "-c", KILLED, str(_every_sheet_splits), str(path), str(parsing)],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    deadline = time.monotonic() + 30
    while not parsing.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child.kill()
    child.wait()
    [killed] = set(_every_sheet_splits.iterdir()) - {living}
    assert parsing.exists() and killed.name.startswith(f"opsdesk-halves-{child.pid}-")
    assert halves_read(path, _sheet_parse) is not None
    assert list(_every_sheet_splits.iterdir()) == [living]
