"""Row validation: each field's text → a typed value, or a row error naming the spreadsheet row and column.

Converters are cached per distinct text: exports repeat the same values (order-level cells on every line, the
same statuses, SKUs and names) so most cells cost one dictionary lookup."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from opsdesk.imports.profiles import Layout, value_key
from opsdesk.imports.readers import ArrowColumns, Table
from opsdesk.lib.masking import mask_address, mask_name, mask_phone
from opsdesk.lib.money import parse_money

CHINA_TIME = timezone(timedelta(hours=8), "CST")
# Numbers and codes a spreadsheet program may have turned into a float (it keeps 15 significant digits).
NUMBER_LIKE = {"order_no", "erp_order_no", "online_order_no", "aftersale_no", "sku", "tracking_no", "receiver_phone"}
# Keys that end up in URLs and joins: no control characters, separators or spaces.
KEY_FIELDS = {"order_no", "erp_order_no", "online_order_no", "aftersale_no", "sku"}
MAPPED_FIELDS = {"status": "status", "process_status": "status", "payment": "payment", "allocation": "allocation",
                 "aftersales": "aftersales", "kind": "kind"}
# Import fields stored under another column name (the rest are stored as `name`, or `name_raw` beside a
# normalised `name`).
STORED_AS = {"process_status": "status_raw", "erp_status": "status_raw", "created_at": "created_at_source",
             "line_amount": "amount"}
# A total row's first cell: 总计, 合计, or a count (共 12 条, 共12单) as some back ends end their exports.
TOTAL_ROW = r"^(总计|合计|共\s*\d+\s*(条|单|笔|行|个))"
# A message that quotes one of these cells (an error is shown on the desk, stored with the import, written to the
# inbox's report) shows it masked (PIPL), as the pages do.
PERSONAL: dict[str, Callable[[str], str]] = {"receiver_phone": mask_phone, "address": mask_address,
                                             "receiver_name": mask_name}
_FLOAT_LOOKING = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_LONG_DIGITS = re.compile(r"^\d{16,}$")
# Also the invisible ones (zero-width spaces and joiners, direction marks and overrides, soft hyphen): SYT\u200b00001
# looks like SYT00001 and matches no product.
# C0 and C1 control characters (and DEL) in any text cell: a bell or an escape sequence in a product name went on
# to the packing-list picture, the robot's posts and terminals. Not tab and line breaks, which free text (买家留言,
# 卖家备注) holds; a key refuses those too (_BAD_KEY). The same pattern in Python's re and Arrow's RE2.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_CONTROL = re.compile(CONTROL)
_BAD_KEY = re.compile(r"[\x00-\x20\x7f-\x9f/\\\u3000\u2028\u2029\ufeff\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
# A date as exports and people write it (2026/12/4, 2026年12月4日), with or without a time (15:05, 15:05:30, 15时05分,
# 下午 3:05, 03:05 PM); nothing may follow it.
_MOMENT = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]*(上午|下午|晚上|AM|PM)?[ ]*(\d{1,2})[:：时点](\d{1,2})(?:[:：](\d{1,2})(?:\.\d{1,6})?|分(?:(\d{1,2})秒)?)?"
    r"[ ]*(AM|PM)?)?$", re.IGNORECASE)
AFTERNOON = {"下午", "晚上", "pm"}
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
    value = _export_time(text) if len(text) == 19 else None
    if value is None:
        value = _any_time(text)
    # In China time (its own or converted): the year says whether it is in range (cheaper than aware comparisons).
    _year_check(value, text)
    return value


def _year_check(value: datetime, text: str) -> None:
    if not 2000 <= value.year <= 2100:
        raise ValueError(f"日期超出范围 (2000-01-01 至 2100-12-31): {text!r}")


def _export_time(text: str) -> datetime | None:
    """"2026-11-01 08:00:00", as exports write it, in China time: six times faster than replace(tzinfo=)."""
    try:
        return datetime.fromisoformat(text + "+08:00")
    except ValueError:
        return None


def _any_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _moment(text)
    _year_check(value, text)  # before converting: year 1 or 9999 in another zone would overflow
    # Shanghai has kept UTC+8 without DST since 1992; a fixed offset is much cheaper to convert than zoneinfo.
    return value.replace(tzinfo=CHINA_TIME) if value.tzinfo is None else value.astimezone(CHINA_TIME)


def _moment(text: str) -> datetime:
    found = _MOMENT.match(text)
    if not found:
        raise ValueError(f"不是日期时间: {text!r} (例如 2026-11-23 09:30:00)")
    year, month, day, half, hour, minute, seconds, spelt, half_after = found.groups()
    hour_of_day = int(hour or 0)
    half = (half or half_after or "").lower()
    if half and not 1 <= hour_of_day <= 12:
        raise ValueError(f"时间不存在: {text!r} (上午/下午 之后是 1-12 点)")
    if half:
        hour_of_day = hour_of_day % 12 + (12 if half in AFTERNOON else 0)
    try:
        return datetime(int(year), int(month), int(day), hour_of_day, int(minute or 0), int(seconds or spelt or 0))
    except ValueError:
        raise ValueError(f"日期不存在: {text!r}") from None


def parse_text(text: str) -> str:
    """Free text (a buyer's message, a name, an address) as the buyer or the platform wrote it, which nobody can
    export again without: a control character in it becomes a space (_convert warns), the row is kept."""
    return _CONTROL.sub(" ", text)


def parse_identifier(text: str) -> str:
    found = _CONTROL.search(text)
    if found:  # the code point, not the cell: it may be a phone
        raise ValueError(f"含有控制字符 U+{ord(found.group()):04X}, 请删除后重新导出")
    if _FLOAT_LOOKING.match(text):
        raise ValueError(f"编号被表格软件转成了数字 ({text}), 原编号已丢失; 请把该列设为文本后重新导出")
    return text


# RE2 patterns (Arrow's) that match every text parse_identifier / parse_key / _floats could refuse, and more: E
# notation, 16 digits in a row, anything not printable ASCII (Python's \d is any script's digit; controls); for
# keys anything but letters, digits, '_', '.' and '-'. Other text: CONTROL.
SUSPECT_NUMBER = r"[eE]|[0-9]{16}|[^\x20-\x7e]"
SUSPECT_KEY = r"[eE]|[0-9]{16}|[^0-9A-Za-z_.\-]"


def parse_key(text: str) -> str:
    if _BAD_KEY.search(text):
        raise ValueError(f"编号含有空白、控制字符、不可见字符或 / \\: {text!r}")
    return parse_identifier(text)


def may_be_float(text: str) -> bool:
    """Could this text be what a spreadsheet made of a long number (its 15 significant digits, then zeros)?"""
    return bool(_LONG_DIGITS.match(text)) and not text.lstrip("0")[15:].strip("0")


def int_parser(low: int, high: int) -> Callable[[str], int | None]:
    def parse_int(text: str) -> int | None:
        if not text:
            return None
        number = text.removesuffix(".0").replace(",", "")
        if not re.fullmatch(r"[-+]?\d+", number):
            raise ValueError(f"不是整数: {text!r}")
        value = int(number)
        if value < low:
            raise ValueError(f"不能为负: {text}" if low == 0 else f"数字太小: {text}")
        if value > high:
            raise ValueError(f"数字太大: {text}")
        return value

    return parse_int


def amount_parser(column: models.DecimalField) -> Callable[[str], Decimal | None]:
    """Amounts as the column holds them: its decimal places, fewer than its integer digits; none is negative in
    an export (refunds are after-sales cases)."""
    limit = Decimal(10) ** ((column.max_digits or 12) - (column.decimal_places or 0))
    places = Decimal(1).scaleb(-(column.decimal_places or 0))

    def parse_amount(text: str) -> Decimal | None:
        value = parse_money(text)
        if value is None:
            return None
        if value < 0:
            raise ValueError(f"金额不能为负: {text}")
        if value >= limit:
            raise ValueError(f"金额太大: {text}")
        return value.quantize(places, rounding=ROUND_HALF_UP)

    return parse_amount


def parse_bool(text: str) -> bool:
    try:
        return BOOL_TEXT[text.lower()]
    except KeyError:
        raise ValueError(f"应为 是/否: {text!r}") from None


@dataclass(frozen=True)
class Spec:
    """How one field's text becomes a value: the converter and the longest text its column holds."""

    convert: Callable[[str], Any]
    max_length: int | None = None


def stored_column(stored_in: tuple[type[models.Model], ...], name: str) -> models.Field[Any, Any] | None:
    """The model column an import field is stored in (its raw text column beside a normalised one)."""
    for model in stored_in:
        names = {f.name for f in model._meta.concrete_fields}
        for candidate in (STORED_AS.get(name, ""), f"{name}_raw", name):
            if candidate in names:
                return model._meta.get_field(candidate)  # type: ignore[return-value]
    return None


@cache
def spec(stored_in: tuple[type[models.Model], ...], name: str) -> Spec:
    """Derived from the model column: its type picks the converter, its size the limits."""
    column = stored_column(stored_in, name)
    if isinstance(column, models.DateTimeField):
        return Spec(parse_time)
    if isinstance(column, models.DecimalField):
        return Spec(amount_parser(column))
    if isinstance(column, models.IntegerField):
        # The portable range (PostgreSQL's), not SQLite's wider one: a file is accepted or refused the same on both.
        return Spec(int_parser(*BaseDatabaseOperations.integer_field_ranges[column.get_internal_type()]))
    if isinstance(column, models.BooleanField):
        return Spec(parse_bool)
    convert = parse_key if name in KEY_FIELDS else parse_identifier if name in NUMBER_LIKE else parse_text
    return Spec(convert, getattr(column, "max_length", None))


# Converters whose valid value is the text itself: Rows only checks the texts that could be invalid.
SAME_TEXT = (parse_text, parse_identifier, parse_key)


def problem_place(problem: dict[str, Any]) -> str:
    """`第 3 行 [手机] ` of a row error or warning ({"row", "column", "message"}), as the reports put it before the
    message; empty for one of the whole file."""
    row = f"第 {problem['row']} 行 " if problem.get("row") else ""
    column = f"[{problem['column']}] " if problem.get("column") else ""
    return f"{row}{column}"


@dataclass
class Problems:
    """Row errors (every one listed) and warnings (grouped: one per column and kind of problem; the rows left out of
    a table that is no file each one of its own)."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    _warnings: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    _left_out: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        key = (column or "", message)
        if key in self._warnings:
            self._warnings[key][2] += 1
        else:
            self._warnings[key] = [row, column, 1]

    def leave_out(self, errors: list[dict[str, Any]]) -> None:
        """These row errors' rows are left out, the rest written: each becomes a warning naming its row."""
        self._left_out += [{**error, "message": f"{error['message']} (未写入)"}
                           for error in sorted(errors, key=lambda error: error["row"] or 0)]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [*self._left_out, *(
            {"row": row, "column": column or None, "message": message if count == 1 else f"{message} (共 {count} 行)"}
            for (_, message), (row, column, count) in self._warnings.items()
        )]


class Rows:
    """The data rows of one file (title lines, header, blank and total rows left out), read field by field."""

    def __init__(
        self, table: Table, layout: Layout, problems: Problems, *, stored_in: tuple[type[models.Model], ...],
        positions: list[int] | None = None,
    ) -> None:
        self.table, self.layout, self.problems, self.stored_in = table, layout, problems, stored_in
        self.positions = self._data_rows() if positions is None else positions
        self._contiguous = bool(self.positions) and self.positions[-1] - self.positions[0] + 1 == len(self.positions)
        self._values: dict[str, list[Any]] = {}
        self._texts: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.positions)

    def forget(self) -> None:
        """Drop the texts and values read so far, the table's lists too: once the records are made, a big import
        writes them without holding every cell of the file twice."""
        self._values, self._texts = {}, {}
        if isinstance(self.table.columns, ArrowColumns):
            self.table.columns.forget()

    def subset(self, indexes: list[int]) -> Rows:
        """These data rows only (indexes into this selection), e.g. those of the orders a re-import changes."""
        return Rows(self.table, self.layout, self.problems, stored_in=self.stored_in,
                    positions=[self.positions[i] for i in indexes])

    def has(self, name: str) -> bool:
        return name in self.layout.columns

    def header(self, name: str) -> str:
        indexes = self.layout.columns.get(name)
        return self.layout.headers[indexes[0]] if indexes else name

    def _cells(self, index: int) -> list[str]:
        return self.table.cells(index, self.positions, contiguous=self._contiguous)

    def arrow(self, name: str) -> Any:
        """text(name) as an Arrow string array (the first non-blank of the field's columns)."""
        import pyarrow
        import pyarrow.compute as pc

        indexes = self.layout.columns.get(name, [])
        if not indexes:
            return pyarrow.array([""] * len(self.positions), pyarrow.string())
        picked = [self._arrow_cells(index) for index in indexes]
        first = picked[0]
        for other in picked[1:]:
            first = pc.if_else(pc.equal(first, ""), other, first)
        return first

    def _arrow_cells(self, index: int) -> Any:
        import pyarrow

        array = self.table.arrow(index)
        if self._contiguous:
            return array.slice(self.positions[0], len(self.positions))
        return array.take(pyarrow.array(self.positions, pyarrow.int64()))

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
        field = spec(self.stored_in, name)
        required = name in self.layout.profile.required
        candidates = self._suspects(name, field, required) if field.convert in SAME_TEXT else set(texts)
        distinct = {text: _checked(field.convert, text, field.max_length, required) for text in candidates}
        if name in NUMBER_LIKE:
            self._floats(name, texts, [text for text in distinct if _LONG_DIGITS.match(text)])
        bad = {text for text, value in distinct.items() if isinstance(value, Bad)}
        if bad:
            header = self.header(name)
            for text, position in zip(texts, self.positions, strict=True):
                if text in bad:
                    self.problems.error(position + 1, header, distinct[text].message)
            distinct.update(dict.fromkeys(bad))
        if field.convert in SAME_TEXT:
            # Bad ones become None, cleaned ones (parse_text) their cleaned text; the rest are their text.
            changed = {text: value for text, value in distinct.items() if value != text}
            self._cleaned_warn(name, texts, changed.keys() - bad)
            return [changed.get(text, text) for text in texts] if changed else texts
        return [distinct[text] for text in texts]

    def _cleaned_warn(self, name: str, texts: list[str], cleaned: set[str]) -> None:
        if cleaned:
            first = next(position for text, position in zip(texts, self.positions, strict=True) if text in cleaned)
            count = sum(text in cleaned for text in texts)
            self.problems.warn(first + 1, self.header(name), f"{count} 个单元格含有控制字符, 已替换为空格")

    def _suspects(self, name: str, field: Spec, required: bool) -> set[str]:
        """The distinct texts of a field whose valid value is its text that could be invalid, found on the Arrow
        column (every other text is valid as it is, and costs no Python work): blank where required, too long, and
        anything SUSPECT_KEY, SUSPECT_NUMBER or CONTROL matches (wider than what the checks refuse: those then
        decide)."""
        import pyarrow.compute as pc

        cells = self.arrow(name)
        flags = []
        if required:
            flags.append(pc.equal(cells, ""))
        if field.max_length:
            flags.append(pc.greater(pc.utf8_length(cells), field.max_length))
        pattern = CONTROL if name not in NUMBER_LIKE else SUSPECT_KEY if name in KEY_FIELDS else SUSPECT_NUMBER
        flags.append(pc.match_substring_regex(cells, pattern))
        suspect = flags[0]
        for flag in flags[1:]:
            suspect = pc.or_(suspect, flag)
        return set(cells.filter(suspect).to_pylist()) if pc.any(suspect).as_py() else set()

    def _floats(self, name: str, texts: list[str], suspects: list[str]) -> None:
        """Numbers of 16 digits or more that a spreadsheet stored as floats (which cannot hold them): in XLSX the
        cells that are number cells, in CSV (where every cell is text) those whose digits after the 15th are zeros,
        as a spreadsheet program writes them."""
        if not suspects:
            return
        numeric = self.table.numeric_cells(self.layout.columns[name])
        wanted, header = {text for text in suspects if numeric is not None or may_be_float(text)}, self.header(name)
        for text, position in zip(texts, self.positions, strict=True):
            if text in wanted and (numeric is None or position in numeric):
                self.problems.error(position + 1, header, f"编号 {PERSONAL.get(name, str)(text)} 是数字格式, "
                                                          "超过 15 位的部分已被表格软件改成 0; "
                                                          "请把该列设为文本后重新导出")

    def agree(self, key: str, names: list[str]) -> None:
        """Rows with the same `key` must agree on these fields (the order-level cells an export repeats, or
        leaves blank after the first row)."""
        import pyarrow
        import pyarrow.compute as pc

        names = [name for name in names if self.has(name)]
        if not names or not self.positions:
            return
        # On the Arrow columns: each row against the first row of its key; only the rows that differ (an error)
        # are looked at in Python.
        keys = self.arrow(key)
        codes = pc.dictionary_encode(keys).indices
        # Codes are numbered in order of first appearance: a key's first row is where the codes' running maximum
        # grows (a group_by would import Arrow's query engine, a tenth of a day's import).
        grown = pc.cumulative_max(codes)
        before = pyarrow.concat_arrays([pyarrow.array([-1], codes.type), grown.slice(0, len(grown) - 1)])
        first_rows = pc.take(pc.indices_nonzero(pc.greater(codes, before)), codes)
        differing = None
        for name in names:
            cells = self.arrow(name)
            bad = pc.and_(pc.not_equal(cells, pc.take(cells, first_rows)), pc.not_equal(cells, ""))
            differing = bad if differing is None else pc.or_(differing, bad)
        assert differing is not None
        differing = pc.and_(differing, pc.not_equal(keys, ""))
        if pc.any(differing).as_py():
            starts = first_rows.to_pylist()
            for index in pc.indices_nonzero(differing).to_pylist():
                self._disagreement(names, starts[index], index)

    def _disagreement(self, names: list[str], earlier: int, index: int) -> None:
        for name in names:
            before, now = self.text(name)[earlier], self.text(name)[index]
            if now and before != now:  # a blank on a later row is a merged cell's continuation
                shown = PERSONAL.get(name, str)
                self.problems.error(self.positions[index] + 1, self.header(name),
                                    f"与同一单号的第 {self.positions[earlier] + 1} 行不一致 "
                                    f"({shown(before)!r} / {shown(now)!r})")

    def check_widths(self) -> None:
        """CSV rows must have the header's fields: more is a stray delimiter, fewer with a delimiter, quote or
        line break inside a cell is a quote left open (it swallowed the rest of the line, or further)."""
        widths, lengths = self.table.widths, self.table.lengths
        if widths is None or lengths is None:
            return
        expected = widths[self.layout.header_row]
        for position in self.positions:
            if widths[position] > expected:
                self.problems.error(position + 1, f"第 {expected + 1} 列",
                                    f"本行有 {widths[position]} 列, 比表头多 {widths[position] - expected} 列 "
                                    "(多余的分隔符或引号不配对)")
            elif lengths[position] < expected:  # trailing blank fields are the row's own, not a swallowed line
                self._open_quote(position)

    def _open_quote(self, position: int) -> None:
        marks = (self.table.delimiter, "\n", '"')
        for index, cell in enumerate(self.table.row(position)):
            if any(mark in cell for mark in marks):
                header = self.layout.headers[index] if index < len(self.layout.headers) else f"第 {index + 1} 列"
                self.problems.error(position + 1, header or f"第 {index + 1} 列",
                                    "引号不配对: 这一格吞掉了后面的内容; 请检查文件里的引号 (\")")
                return

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
        """Rows with a key that is no total are data; the others unless blank or a total row (see _skip)."""
        import pyarrow.compute as pc

        key_index = self.layout.columns[self.layout.profile.required[0]][0]
        start = self.layout.header_row + 1
        keys = self.table.arrow(key_index).slice(start)
        total = pc.match_substring_regex(keys, TOTAL_ROW)
        plain = pc.and_(pc.not_equal(keys, ""), pc.invert(total))
        rows = pc.add(pc.indices_nonzero(plain), start).to_pylist()
        others = [p + start for p in pc.indices_nonzero(pc.invert(plain)).to_pylist()]
        kept = [position for position in others if not self._skip(position)]
        return sorted(rows + kept) if kept else rows

    def _skip(self, position: int) -> bool:
        """Blank rows and total rows (总计/合计 in their first non-blank cell) are not data."""
        first = next((cell for cell in self.table.row(position) if cell), "")
        return not first or re.match(TOTAL_ROW, first) is not None


def _checked(convert: Callable[[str], Any], text: str, limit: int | None, required: bool) -> Any:
    if not text:
        return Bad("不能为空") if required else convert(text)
    if limit and len(text) > limit:
        return Bad(f"太长 ({len(text)} 字, 最多 {limit} 字)")
    try:
        return convert(text)
    except (ValueError, ArithmeticError) as exc:
        return Bad(str(exc))

