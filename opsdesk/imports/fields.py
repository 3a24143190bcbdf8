"""Row validation: each field's text → a typed value, or a row error naming the spreadsheet row and column.

Converters are cached per distinct text: exports repeat the same values (order-level cells on every line, the
same statuses, SKUs and names) so most cells cost one dictionary lookup."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from opsdesk.imports.profiles import Layout, value_key
from opsdesk.imports.readers import Table
from opsdesk.lib.dates import SHANGHAI
from opsdesk.lib.money import parse_money

CHINA_TIME = timezone(timedelta(hours=8), "CST")
TIME_FIELDS = {"placed_at", "paid_at", "ship_by", "shipped_at", "delivered_at", "created_at"}
MONEY_FIELDS = {"price", "line_amount", "total_amount"}
INT_FIELDS = {"qty", "stock"}
BOOL_FIELDS = {"abnormal", "rx", "tcm"}
ID_FIELDS = {"order_no", "erp_order_no", "online_order_no", "aftersale_no", "sku", "tracking_no"}
MAPPED_FIELDS = {"status": "status", "process_status": "status", "payment": "payment", "allocation": "allocation",
                 "aftersales": "aftersales", "kind": "kind"}
# The longest text each field may hold (the database columns' sizes).
MAX_LENGTH = {
    "order_no": 64, "erp_order_no": 32, "online_order_no": 64, "aftersale_no": 40, "sku": 64, "tracking_no": 40,
    "receiver_name": 60, "receiver_phone": 40, "province": 40, "city": 40, "district": 40, "address": 300,
    "name": 200, "spec": 100, "courier": 40, "status": 60, "process_status": 60, "payment": 40, "aftersales": 40,
    "allocation": 20, "kind": 20, "warehouse": 40, "shop": 60, "platform": 40, "erp_status": 40,
    "abnormal_reason": 200, "order_type": 20, "last_update": 200, "channel_item_id": 64,
}
TOTAL_WORDS = ("总计", "合计")
MONEY_LIMIT = Decimal(10) ** 10  # the amount columns hold 12 digits, 2 of them after the point
_FLOAT_LOOKING = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_FLOAT_DIGITS = re.compile(r"^\d{16,}$")
_MOMENT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?)?")
BOOL_TEXT = {"是": True, "否": False, "异常": True, "正常": False, "√": True, "y": True, "n": False, "yes": True, "no": False, "true": True,
             "false": False, "1": True, "0": False, "": False}


class Bad:
    """A cell that failed validation, with the reason (cached like a value)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def parse_time(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        found = _MOMENT.match(text)
        if not found:
            raise ValueError(f"不是日期时间: {text!r}") from None
        parts = [int(part) if part else 0 for part in found.groups()]
        try:
            value = datetime(*parts)  # type: ignore[arg-type,misc]
        except ValueError:
            raise ValueError(f"日期不存在: {text!r}") from None
    if value.tzinfo is None:
        # Shanghai has kept UTC+8 without DST since 1992; a fixed offset is much cheaper to convert than zoneinfo.
        return value.replace(tzinfo=CHINA_TIME if value.year >= 1992 else SHANGHAI)
    return value.astimezone(CHINA_TIME)


def parse_identifier(text: str) -> str:
    if _FLOAT_LOOKING.match(text) or (_FLOAT_DIGITS.match(text) and text.endswith("00000")):
        raise ValueError(f"编号被表格软件转成了数字 ({text}), 原编号已丢失; 请把该列设为文本后重新导出")
    return text


def parse_int(text: str) -> int | None:
    if not text:
        return None
    number = text.removesuffix(".0").replace(",", "")
    if not re.fullmatch(r"-?\d+", number):
        raise ValueError(f"不是整数: {text!r}")
    value = int(number)
    if abs(value) > 2_147_483_647:
        raise ValueError(f"数字太大: {text}")
    return value


def parse_amount(text: str) -> Decimal | None:
    value = parse_money(text)
    if value is not None and abs(value) >= MONEY_LIMIT:
        raise ValueError(f"金额太大: {text}")
    return value


def parse_bool(text: str) -> bool:
    try:
        return BOOL_TEXT[text.lower()]
    except KeyError:
        raise ValueError(f"应为 是/否: {text!r}") from None


def converter(name: str) -> Callable[[str], Any]:
    if name in TIME_FIELDS:
        return parse_time
    if name in MONEY_FIELDS:
        return parse_amount
    if name in INT_FIELDS:
        return parse_int
    if name in BOOL_FIELDS:
        return parse_bool
    if name in ID_FIELDS:
        return parse_identifier
    return str


@dataclass
class Problems:
    """Row errors (every one listed) and warnings (grouped: one per column and kind of problem)."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    _warnings: dict[tuple[str, str], list[Any]] = field(default_factory=dict)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        key = (column or "", message)
        if key in self._warnings:
            self._warnings[key][2] += 1
        else:
            self._warnings[key] = [row, column, 1]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [
            {"row": row, "column": column or None, "message": message if count == 1 else f"{message} (共 {count} 行)"}
            for (_, message), (row, column, count) in self._warnings.items()
        ]


class Rows:
    """The data rows of one file (title lines, header, blank and total rows left out), read field by field."""

    def __init__(self, table: Table, layout: Layout, problems: Problems) -> None:
        self.table, self.layout, self.problems = table, layout, problems
        self.positions = self._data_rows()
        self._contiguous = bool(self.positions) and self.positions[-1] - self.positions[0] + 1 == len(self.positions)
        self._values: dict[str, list[Any]] = {}
        self._texts: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.positions)

    def has(self, name: str) -> bool:
        return name in self.layout.columns

    def header(self, name: str) -> str:
        indexes = self.layout.columns.get(name)
        return self.layout.headers[indexes[0]] if indexes else name

    def _cells(self, index: int) -> list[str]:
        column = self.table.columns[index]
        if self._contiguous:
            return column[self.positions[0]:self.positions[-1] + 1] if self.positions else []
        return [column[p] for p in self.positions]

    def text(self, name: str) -> list[str]:
        """The cleaned text of a field on each data row: the first non-blank of its columns."""
        indexes = self.layout.columns.get(name, [])
        if not indexes:
            return [""] * len(self.positions)
        if name not in self._texts:
            first = self._cells(indexes[0])
            for index in indexes[1:]:
                first = [text or other for text, other in zip(first, self._cells(index), strict=True)]
            self._texts[name] = first
        return self._texts[name]

    def values(self, name: str) -> list[Any]:
        """Typed values; a bad cell becomes None and a row error naming its row and column."""
        if name not in self._values:
            self._values[name] = self._convert(name)
        return self._values[name]

    def _convert(self, name: str) -> list[Any]:
        """Each distinct text is converted once; rows then look their value up."""
        texts = self.text(name)
        convert, limit = converter(name), MAX_LENGTH.get(name)
        required = name in self.layout.profile.required
        distinct = {text: _checked(convert, text, limit, required) for text in set(texts)}
        bad = {text for text, value in distinct.items() if isinstance(value, Bad)}
        if bad:
            header = self.header(name)
            for text, position in zip(texts, self.positions, strict=True):
                if text in bad:
                    self.problems.error(position + 1, header, distinct[text].message)
            distinct.update(dict.fromkeys(bad))
        if convert is str:
            return texts
        return [distinct[text] for text in texts]

    def mapped(self, name: str) -> list[tuple[str, str]]:
        """(normalised, raw) per row through the profile's value map; unknown values → 'unknown' + a warning."""
        mapping = self.layout.profile.maps.get(MAPPED_FIELDS[name], {})
        raws = [raw or "" for raw in self.values(name)]
        distinct = {raw: (mapping.get(value_key(raw), "unknown") if raw else "", raw) for raw in set(raws)}
        unknown = {raw for raw in distinct if raw and value_key(raw) not in mapping}
        if unknown:
            header = self.header(name)
            for raw, position in zip(raws, self.positions, strict=True):
                if raw in unknown:
                    self.problems.warn(position + 1, header, f"未知的值 {raw!r}, 记为 unknown")
        return [distinct[raw] for raw in raws]

    def fingerprints(self) -> list[str]:
        """Per data row, every mapped cell's text: what a record's content_hash is made of."""
        columns = [self.text(name) for name in sorted(self.layout.columns)]
        return ["\x1f".join(cells) for cells in zip(*columns, strict=True)] if columns else []

    def _data_rows(self) -> list[int]:
        key_index = self.layout.columns[self.layout.profile.required[0]][0]
        key_column = self.table.columns[key_index]
        rows: list[int] = []
        for position in range(self.layout.header_row + 1, self.table.nrows):
            key = key_column[position]
            if key and not key.startswith(TOTAL_WORDS) or not self._skip(position):
                rows.append(position)
        return rows

    def _skip(self, position: int) -> bool:
        """Blank rows and total rows (总计/合计 in their first non-blank cell) are not data."""
        first = next((cell for cell in self.table.row(position) if cell), "")
        return not first or first.startswith(TOTAL_WORDS)


def _checked(convert: Callable[[str], Any], text: str, limit: int | None, required: bool) -> Any:
    if not text:
        return Bad("不能为空") if required else convert(text)
    if limit and len(text) > limit:
        return Bad(f"太长 ({len(text)} 字, 最多 {limit} 字)")
    try:
        return convert(text)
    except (ValueError, ArithmeticError) as exc:
        return Bad(str(exc))

