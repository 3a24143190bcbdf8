"""Spreadsheets for the people who work in Excel: numbers written as numbers (so that they sum), identifiers
(order, tracking numbers, SKUs) as text (so that Excel never turns them into 2.61E+20), and nothing ever a
formula: a cell typed as "=…" by a buyer stays text. A text column is formatted as text (`@`), its blank cells too:
a 14-digit tracking number the operator types into one stays text instead of turning into 7.55E+13."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from opsdesk.lib.dates import local

# A cell starting with one of these would be a formula if typed in: keep it text and show it as such.
FORMULA_STARTS = ("=", "+", "-", "@")
FORMATS = {"money": {"num_format": "#,##0.00"}, "datetime": {"num_format": "yyyy-mm-dd hh:mm"}, "number": {}}
WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
                    "constant_memory": True}


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    kind: str = "text"  # text | number | money | datetime


class _Writer:
    def __init__(self, workbook: Any, sheet: Any) -> None:
        self.sheet = sheet
        self.text = workbook.add_format({"num_format": 49})  # Excel's built-in "@" (text)
        self.quoted = workbook.add_format({"num_format": 49, "quote_prefix": True})
        self.formats = {kind: workbook.add_format(spec) for kind, spec in FORMATS.items()}

    def cell(self, row: int, col: int, kind: str, value: Any) -> None:
        if value is None or value == "":
            if kind == "text":
                self.sheet.write_blank(row, col, None, self.text)
            return
        if kind in ("number", "money") and isinstance(value, int | float | Decimal):
            self.sheet.write_number(row, col, float(value), self.formats[kind])
        elif kind == "datetime" and isinstance(value, datetime):
            self.sheet.write_datetime(row, col, local(value).replace(tzinfo=None), self.formats[kind])
        else:
            text = str(value)
            self.sheet.write_string(row, col, text, self.quoted if text.startswith(FORMULA_STARTS) else self.text)


def sheet_write(path: Path, *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to `path` row by row (constant memory, so a whole queue fits); returns the rows written."""
    return _fill(xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS), title=title, columns=columns, rows=rows)


def sheet_bytes(*, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """The same sheet made in memory, as bytes (a short one: a day's COD sheet)."""
    buffer = io.BytesIO()
    _fill(xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "in_memory": True}), title=title, columns=columns,
          rows=rows)
    return buffer.getvalue()


def _fill(workbook: Any, *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    sheet = workbook.add_worksheet(title[:31])
    writer, bold = _Writer(workbook, sheet), workbook.add_format({"bold": True})
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width, writer.text if column.kind == "text" else None)
        sheet.write_string(0, col, column.header, bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, row, strict=True)):
            writer.cell(count, col, column.kind, value)
    workbook.close()
    return count
