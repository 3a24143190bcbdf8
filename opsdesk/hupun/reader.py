"""The API's trades and returns → the table an ERP export would be: one more reader in front of the import's own
profiles, records and writers (`opsdesk.imports.services.import_table`), so the pull and the file import write the
same records by the same code. Header texts come from the `erp` / `erp_aftersales` import profiles."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from opsdesk.hupun.client import MOMENT
from opsdesk.hupun.models import HupunCode
from opsdesk.imports.models import ImportProfile
from opsdesk.imports.readers import Table, clean_column
from opsdesk.lib.dates import SHANGHAI

log = logging.getLogger(__name__)

Codes = dict[tuple[str, str], str]
# importer field → the cell's text from one API record
Cell = Callable[[dict[str, Any], Codes], str]


class Malformed(Exception):
    """A record no export row could be made of: not an object, or a field of a type no cell holds (the API's
    fault, not the data's). It is left out of its window, named."""


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise Malformed(f"不是有限的数 ({value})")
    if isinstance(value, str | int | float):
        return str(value)
    raise Malformed(f"应为文字或数字, 却是 {json.dumps(value, ensure_ascii=False)[:40]}")


def value(record: dict[str, Any], key: str) -> str:
    """The text of the record's `key`; a value of the wrong type is the record's fault, named by its key."""
    try:
        return text(record.get(key))
    except Malformed as exc:
        raise Malformed(f"{key} {exc}") from None


def when(record: dict[str, Any], key: str) -> str:
    """Times come as epoch milliseconds (or already as text); a number no date has (1e20) is kept as its text, which
    the row's check refuses as it would in a file."""
    moment = record.get(key)
    if isinstance(moment, int | float) and not isinstance(moment, bool) and math.isfinite(moment):
        try:
            return datetime.fromtimestamp(moment / 1000, SHANGHAI).strftime(MOMENT)
        except (ValueError, OverflowError, OSError):
            pass
    return value(record, key)


def coded(field: str, key: str) -> Cell:
    """The export's text for an API code; a code nobody mapped is kept as it came."""
    return lambda record, codes: codes.get((field, value(record, key)), value(record, key))


def plain(key: str) -> Cell:
    return lambda record, codes: value(record, key)


def online_order_no(trade: dict[str, Any], codes: Codes) -> str:
    """The channel's order number; a trade that leaves it blank takes its first line's."""
    lines = trade.get("orders") or [{}]
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise Malformed("orders 应为对象的列表")
    return value(trade, "tp_tid") or value(lines[0], "tp_tid")


TRADE_CELLS: dict[str, Cell] = {
    "erp_order_no": plain("trade_no"),
    "online_order_no": online_order_no,
    "shop": plain("shop_name"),
    "platform": plain("source_platform"),
    "erp_status": lambda t, codes: (coded("process_status", "process_status")(t, codes)
                                    or coded("status", "status")(t, codes)),
    "abnormal": plain("is_exception_trade"),
    "order_type": coded("trade_type", "trade_type"),
    "paid_at": lambda t, codes: when(t, "pay_time"),
    "buyer_message": plain("buyer_msg"),
    "seller_note": plain("seller_msg"),
    "courier": lambda t, codes: value(t, "logistic_name") or value(t, "logistic_code"),
    "tracking_no": plain("express_code"),
}
RETURN_CELLS: dict[str, Cell] = {
    "aftersale_no": plain("bill_code"),
    "kind": coded("return_type", "type"),
    "status": coded("return_status", "status"),
    "erp_order_no": plain("trade_no"),
    "online_order_no": plain("tp_tid"),
    "note": plain("remark"),
    "created_at": lambda r, codes: when(r, "create_time"),
}


def codes_load() -> Codes:
    return {(field, code): label for field, code, label in HupunCode.objects.values_list("field", "code", "label")}


def header_texts(source: str) -> dict[str, str]:
    """Importer field → the first header text the source's profile knows it by."""
    profile = ImportProfile.objects.filter(source=source).first()
    texts: dict[str, str] = {}
    for header, field in (profile.headers if profile else {}).items():
        if field:
            texts.setdefault(field, header)
    return texts


def records_table(pages: list[list[Any]], *, source: str, cells: dict[str, Cell], key: str,
                  needs: tuple[str, ...] = ()) -> Table:
    """A header row of the profile's texts, then one row per record (fields the profile lacks are left out): the
    last of the records with one number (`key`'s field), none without a number or one of the fields it `needs`. A
    record no row can be made of is left out, named by its page and place (Table.left_out)."""
    codes, headers = codes_load(), header_texts(source)
    rows: dict[str, dict[str, str]] = {}
    left_out = []
    for page_no, page in enumerate(pages, 1):
        for place, record in enumerate(page, 1):
            try:
                row = record_row(record, cells, codes)
            except Malformed as exc:
                number = _number(record, cells[key], codes)
                named = f" ({headers[key]} {number})" if number else ""
                left_out.append({"row": None, "column": None,
                                 "message": f"第 {page_no} 页第 {place} 条记录{named}: {exc}"})
                continue
            if row[key]:
                rows[row[key]] = row
    kept = [row for row in rows.values() if all(row[name] for name in needs)]
    if len(kept) < len(rows):
        log.info("%s: %s records without %s left out", source, len(rows) - len(kept), "/".join(needs))
    columns = [[headers[field], *clean_column([row[field] for row in kept])] for field in cells if field in headers]
    return Table(columns=columns, nrows=len(kept) + 1, all_text=True, left_out=left_out)


def _number(record: Any, cell: Cell, codes: Codes) -> str:
    """The record's own number where it can be read (the rest of it could not): what names it to a person."""
    try:
        return cell(record, codes) if isinstance(record, dict) else ""
    except Malformed:
        return ""


def record_row(record: Any, cells: dict[str, Cell], codes: Codes) -> dict[str, str]:
    """Importer field → the record's text for it."""
    if not isinstance(record, dict):
        raise Malformed(f"不是对象: {json.dumps(record, ensure_ascii=False)[:40]}")
    return {field: cell(record, codes) for field, cell in cells.items()}
