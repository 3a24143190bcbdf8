"""Whatever text an export carries, the COD sheet gives it back as the same text, never as a formula."""

from __future__ import annotations

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
