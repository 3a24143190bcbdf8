"""Hypothesis: mangled cells, encodings and bytes never crash the importer and never leave a partial write."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsdesk.imports.samples import SOURCE_HEADERS
from opsdesk.imports.services import import_file
from opsdesk.orders.models import Order, OrderLine
from tests.imports.helpers import export, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "\t", " ' ", "2.61122E+20", "261122000000000000000", "2026-02-30 10:00:00", "总计", "合计",
                     "-3", "1e5", "NaN", "¥1,234.50", "****", "\x00", "是", "2026/11/23 9:30"]),
)


@FUZZ
@given(
    mangled=st.lists(st.tuples(st.sampled_from(SOURCE_HEADERS["official"]), cells), max_size=6),
    suffix=st.sampled_from([".xlsx", ".csv"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]),
)
def test_mangled_cells_are_imported_or_rejected_whole(
    mangled: list[tuple[str, str]], suffix: str, encoding: str
) -> None:
    rows = [official_row("GWF1"), official_row("GWF2")]
    for number, (header, value) in enumerate(mangled):
        rows[number % 2][header] = value
    before = (Order.objects.count(), OrderLine.objects.count())
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = export(Path(folder), f"fuzz{suffix}", "official", rows, encoding=encoding)
        except (UnicodeEncodeError, ValueError):
            return  # a cell the encoding (or XLSX) cannot hold is not an export anyone can make
        result = import_file(path=path, source="official")
    assert result.status in {"imported", "unchanged", "rejected"}
    if result.status == "rejected":
        assert result.errors and all(error["message"] for error in result.errors)
        assert (Order.objects.count(), OrderLine.objects.count()) == before


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".txt"]))
def test_arbitrary_bytes_never_crash_and_write_nothing(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"junk{suffix}"
        path.write_bytes(data)
        result = import_file(path=path)
    assert result.status == "rejected"
    assert result.errors[0]["message"]
    assert not Order.objects.exists()
