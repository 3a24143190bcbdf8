"""The API's trades and returns → the table an ERP export would be: one more reader in front of the import's own
profiles, records and writers (`opsdesk.imports.services.import_table`), so the pull and the file import write the
same records by the same code. Header texts come from the `erp` / `erp_aftersales` import profiles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from opsdesk.hupun.client import MOMENT
from opsdesk.hupun.models import HupunCode
from opsdesk.imports.models import ImportProfile
from opsdesk.imports.readers import Table, clean_column
from opsdesk.lib.dates import SHANGHAI

Codes = dict[tuple[str, str], str]
# importer field → the cell's text from one API record
Cell = Callable[[dict[str, Any], Codes], str]


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def when(value: Any) -> str:
    """Times come as epoch milliseconds (or already as text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, SHANGHAI).strftime(MOMENT)
    return text(value)


def coded(field: str, key: str) -> Cell:
    """The export's text for an API code; a code nobody mapped is kept as it came."""
    return lambda record, codes: codes.get((field, text(record.get(key))), text(record.get(key)))


def plain(key: str) -> Cell:
    return lambda record, codes: text(record.get(key))


def online_order_no(trade: dict[str, Any], codes: Codes) -> str:
    """The channel's order number; a trade that leaves it blank takes its first line's."""
    lines = trade.get("orders") or [{}]
    return text(trade.get("tp_tid")) or text(lines[0].get("tp_tid"))


TRADE_CELLS: dict[str, Cell] = {
    "erp_order_no": plain("trade_no"),
    "online_order_no": online_order_no,
    "shop": plain("shop_name"),
    "platform": plain("source_platform"),
    "erp_status": lambda t, codes: (coded("process_status", "process_status")(t, codes)
                                    or coded("status", "status")(t, codes)),
    "abnormal": plain("is_exception_trade"),
    "order_type": coded("trade_type", "trade_type"),
    "paid_at": lambda t, codes: when(t.get("pay_time")),
    "buyer_message": plain("buyer_msg"),
    "seller_note": plain("seller_msg"),
    "courier": lambda t, codes: text(t.get("logistic_name")) or text(t.get("logistic_code")),
    "tracking_no": plain("express_code"),
}
RETURN_CELLS: dict[str, Cell] = {
    "aftersale_no": plain("bill_code"),
    "kind": coded("return_type", "type"),
    "status": coded("return_status", "status"),
    "erp_order_no": plain("trade_no"),
    "online_order_no": plain("tp_tid"),
    "note": plain("remark"),
    "created_at": lambda r, codes: when(r.get("create_time")),
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


def records_table(records: list[dict[str, Any]], *, source: str, cells: dict[str, Cell]) -> Table:
    """A header row of the profile's texts, then one row per record (fields the profile lacks are left out)."""
    codes, headers = codes_load(), header_texts(source)
    columns = [[headers[field], *clean_column([cell(record, codes) for record in records])]
               for field, cell in cells.items() if field in headers]
    return Table(columns=columns, nrows=len(records) + 1, all_text=True)
