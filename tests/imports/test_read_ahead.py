"""`opsdesk import` reads its first XLSX on a second thread while Django starts (readers.read_ahead): the import
takes those arrays only for the very file it opens, and anything unusual is left to read_table."""

from __future__ import annotations

import os
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opsdesk.imports import halves, readers
from opsdesk.imports.readers import read_ahead, read_table
from opsdesk.imports.samples import write_export
from opsdesk.lib.errors import Refused
from tests.imports.test_readers import bomb

ROWS = [{"商品编码": "0012", "商品名称": "感冒灵", "规格": "10g", "可用库存": "5", "处方药": "是", "中药": "否"}]


@pytest.fixture(autouse=True)
def _none_left() -> Iterator[None]:
    """Each test starts with no read ahead of an earlier one (a stale file's is never taken)."""
    yield
    for ahead in readers._AHEAD.values():
        ahead.join()
    readers._AHEAD.clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread of each parse."""
    seen: list[str] = []
    parse = readers._arrow_arrays

    def counted(path: Path, **options: Any) -> list[Any]:
        seen.append(threading.current_thread().name)
        return parse(path, **options)

    monkeypatch.setattr(readers, "_arrow_arrays", counted)
    return seen


def stock(path: Path, rows: list[dict[str, str]]) -> Path:
    return write_export(path=path, source="stock", rows=rows, title="库存导出")


def test_a_file_read_ahead_is_parsed_once_on_the_other_thread(tmp_path: Path, parses: list[str]) -> None:
    path = stock(tmp_path / "s.xlsx", ROWS)
    assert read_ahead(path)
    table = read_table(path)
    assert table.row(2) == list(ROWS[0].values())
    assert parses == ["read-ahead"]
    assert not readers.reading_ahead()


def test_the_second_half_waits_for_the_import_to_ask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until then Django's start-up runs beside the first half alone, and keeps a core to itself."""
    monkeypatch.setattr(halves, "BESIDE_SPLIT_FROM", 0)
    parsed: list[str] = []
    first_done = threading.Event()
    parse = readers._sheet_parse

    def noted(path: str) -> Any:
        batch = parse(path)
        parsed.append(Path(path).name)
        first_done.set()
        return batch

    monkeypatch.setattr(readers, "_sheet_parse", noted)
    path = stock(tmp_path / "s.xlsx", [{**ROWS[0], "商品编码": f"{n:04d}"} for n in range(200)])
    assert read_ahead(path)
    assert first_done.wait(10)
    time.sleep(0.2)
    assert parsed == ["1.xlsx"]
    table = read_table(path)
    assert parsed == ["1.xlsx", "2.xlsx"]
    assert table.nrows == 202 and table.row(201)[0] == "0199"


def test_a_file_rewritten_after_it_was_read_ahead_is_read_again(tmp_path: Path, parses: list[str]) -> None:
    path = stock(tmp_path / "s.xlsx", ROWS)
    assert read_ahead(path)
    stock(path, [*ROWS, {**ROWS[0], "商品编码": "0013", "商品名称": "板蓝根颗粒"}])
    table = read_table(path)
    assert table.nrows == 4 and table.row(3)[:2] == ["0013", "板蓝根颗粒"]
    assert parses[-1] == threading.current_thread().name


def test_a_file_read_ahead_but_passed_over_keeps_no_arrays(tmp_path: Path, parses: list[str]) -> None:
    unchanged, other = stock(tmp_path / "a.xlsx", ROWS), stock(tmp_path / "b.xlsx", ROWS)
    assert read_ahead(unchanged)
    assert read_table(other).row(2) == list(ROWS[0].values())
    passed_over = next(ahead for ahead in readers._AHEAD.values() if ahead.path == unchanged)
    passed_over.join()
    assert passed_over.arrays is None
    assert sorted(parses) == ["MainThread", "read-ahead"]


def test_only_an_xlsx_that_passes_the_checks_is_read_ahead(tmp_path: Path, settings: Any, parses: list[str]) -> None:
    settings.IMPORT_MAX_UNCOMPRESSED_MB, settings.IMPORT_MAX_RATIO = 2, 10_000
    csv = write_export(path=tmp_path / "s.csv", source="stock", rows=ROWS, title="库存导出")
    unpacks_too_far = bomb(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)  # opened, it would wait for a writer forever
    for path in (csv, unpacks_too_far, tmp_path / "missing.xlsx", tmp_path, fifo):
        assert not read_ahead(path), path
    with pytest.raises(Refused, match="解压后太大"):
        read_table(unpacks_too_far)
    assert parses == []


def test_a_broken_file_read_ahead_is_refused_as_if_it_was_not(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook")
    assert read_ahead(path)
    with pytest.raises(Refused, match="broken.xlsx: 无法读取"):
        read_table(path)
