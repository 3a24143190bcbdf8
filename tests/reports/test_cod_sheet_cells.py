"""Whatever text an export carries, the COD sheet gives it back as the same text, never as a formula."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from opsdesk.reports.cod import HEADERS, cod_sheet_bytes

# XML 1.0 can't carry most control characters; exports don't either.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
FORMULA_LIKE = st.builds(lambda head, tail: head + tail, st.sampled_from(["=", "+", "-", "@"]), TEXT)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.one_of(FORMULA_LIKE, TEXT), min_size=len(HEADERS), max_size=len(HEADERS)))
def test_every_cell_reads_back_as_the_same_text(cells: list[str]) -> None:
    content = cod_sheet_bytes([cells], ["合计", "1 单", "", "", "", "", "0.00", "", "", ""])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        path.write_bytes(content)
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        with zipfile.ZipFile(path) as archive:
            assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert rows[0] == HEADERS
    assert rows[1] == cells


def test_a_blank_tracking_cell_is_there_formatted_as_text_for_the_number_typed_in_later() -> None:
    row = ["GW1", "2026-11-23 09:00", "李四", "139****0000", "示例路1号", "六味地黄丸 ×1", 59, "中通快递", "", "无快递单号"]
    content = cod_sheet_bytes([row], ["合计", "1 单", "", "", "", "", 59, "", "", ""])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = archive.read("xl/styles.xml").decode("utf-8")
    tracking = HEADERS.index("快递单号")
    cell = re.search(rf'<c r="{chr(ord("A") + tracking)}2" s="(\d+)"/>', sheet)
    assert cell, sheet  # the blank cell is written, with a style
    formats = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    assert 'numFmtId="49"' in formats[int(cell.group(1))], formats
    amount = HEADERS.index("金额")
    assert re.search(rf'<c r="{chr(ord("A") + amount)}2" s="\d+"><v>59</v>', sheet), sheet  # still a number
