"""The reader layer: XLSX/CSV as cleaned text, encodings, and clear refusals for files that are not spreadsheets."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from opsdesk.imports.readers import _excel_columns_calamine, read_table
from opsdesk.imports.samples import write_export
from opsdesk.lib.errors import Refused
from tests.imports.helpers import write_xls

ROWS = [{"商品编码": "\t0012", "商品名称": " 感冒灵 ", "规格": "'10g", "可用库存": "5", "处方药": "是", "中药": "否"}]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_every_encoding_reads_the_same_cleaned_text(tmp_path: Path, encoding: str) -> None:
    path = write_export(path=tmp_path / "s.csv", source="stock", rows=ROWS, title="库存导出", encoding=encoding)
    table = read_table(path)
    assert table.nrows == 3
    assert table.row(1)[:2] == ["商品编码", "商品名称"]
    assert table.row(2)[:4] == ["0012", "感冒灵", "10g", "5"]


def test_xlsx_is_read_as_cleaned_text(tmp_path: Path) -> None:
    table = read_table(write_export(path=tmp_path / "s.xlsx", source="stock", rows=ROWS, title="库存导出"))
    assert table.row(0)[0] == "库存导出"
    assert table.row(2) == ["0012", "感冒灵", "10g", "5", "是", "否"]


def test_xls_the_older_excel_format_is_read_as_cleaned_text_too(tmp_path: Path) -> None:
    rows = [["库存导出"], list(ROWS[0]), list(ROWS[0].values()), ["0013", "板蓝根颗粒", "", 12, "否", "否"]]
    table = read_table(write_xls(tmp_path / "s.xls", rows))
    assert table.row(0)[0] == "库存导出"
    assert table.row(2) == ["0012", "感冒灵", "10g", "5", "是", "否"]
    assert table.row(3)[:4] == ["0013", "板蓝根颗粒", "", "12"]


def test_numeric_cells_keep_their_digits_and_mangled_floats_stay_visible(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["订单号", "手机", "金额"])
    sheet.write_row(1, 0, [2.61122e20, 13900000000, 12.5])
    book.close()
    assert [column[1] for column in _excel_columns_calamine(path)] == ["2.61122e+20", "13900000000", "12.5"]
    assert read_table(path).row(1)[1] == "13900000000"


@pytest.mark.parametrize("name, content", [
    ("truncated.xlsx", None), ("random.xlsx", b"this is not a workbook"), ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00"),
])
def test_broken_or_non_spreadsheet_files_are_refused_with_their_name(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is None:
        whole = write_export(path=tmp_path / "whole.xlsx", source="stock", rows=ROWS * 50).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    with pytest.raises(Refused, match=name):
        read_table(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refused, match="不存在"):
        read_table(tmp_path / "none.xlsx")


def bomb(path: Path, size: int) -> Path:
    """An XLSX-looking zip whose one part unpacks far beyond its packed size (one repeated byte)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" + b"a" * size)
    return path


def test_an_xlsx_that_would_unpack_past_the_limit_is_refused_unread(tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_MAX_UNCOMPRESSED_MB, settings.IMPORT_MAX_RATIO = 2, 10_000
    with pytest.raises(Refused, match="解压后太大 .*OPSDESK_IMPORT_MAX_UNCOMPRESSED_MB"):
        read_table(bomb(tmp_path / "big.xlsx", 3 * 1024 * 1024))


def test_an_xlsx_with_an_absurd_compression_ratio_is_refused_unread(tmp_path: Path) -> None:
    with pytest.raises(Refused, match="压缩比异常"):
        read_table(bomb(tmp_path / "bomb.xlsx", 50 * 1024 * 1024))


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_MAX_FILE_MB = 1
    path = tmp_path / "big.csv"
    path.write_text("订单编号\n" + "GW1\n" * 300_000)
    with pytest.raises(Refused, match="文件太大"):
        read_table(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_row_limit_is_refused(tmp_path: Path, settings: Any, suffix: str) -> None:
    settings.IMPORT_MAX_ROWS = 5
    path = write_export(path=tmp_path / f"rows{suffix}", source="official",
                        rows=[{"订单编号": f"GW{n}"} for n in range(6)])
    with pytest.raises(Refused, match="行数超过上限 5"):
        read_table(path)


def test_preloading_loads_the_excel_parser_and_arrow_compute_in_a_fresh_process() -> None:
    code = ("import json, sys\n"
            "from opsdesk.imports.readers import readers_preload\n"
            "wanted = {'fastexcel', 'pyarrow.compute'}\n"
            "before = sorted(wanted & set(sys.modules))\n"
            "readers_preload()\n"
            "print(json.dumps([before, sorted(wanted & set(sys.modules))]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[], ["fastexcel", "pyarrow.compute"]]
