"""Validated rows → the records each kind of source writes (orders with lines, ERP orders, WMS records, …)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from opsdesk.imports.fields import Rows
from opsdesk.lib.dates import SHANGHAI

ORDER_TEXT = ("receiver_name", "receiver_phone", "province", "city", "district", "address", "buyer_message",
              "seller_note", "tracking_no")
ORDER_TIMES = ("placed_at", "paid_at", "ship_by", "shipped_at", "delivered_at")
# Statuses of the order itself that outrank the processing status (official site: 订单状态 vs 订单处理状态).
FINAL_STATUSES = ("unpaid", "cancelled")


@dataclass
class Record:
    """One row to upsert: its key, its column values and (for orders) its lines; `content_hash` covers them all."""

    key: str
    values: dict[str, Any]
    lines: list[dict[str, Any]] = field(default_factory=list)
    content_hash: str = ""

    def seal(self, *parts: str) -> Record:
        """The hash covers the cells' text (cheaper than the typed values) and whatever else shapes the record."""
        self.content_hash = hashlib.md5("\x1e".join(parts).encode(), usedforsecurity=False).hexdigest()
        return self


# Bump when normalisation changes, so that re-imports rewrite what older code stored.
IMPORTER_VERSION = "1"


def salt(rows: Rows, *extra: object) -> str:
    return "|".join(map(str, (IMPORTER_VERSION, rows.layout.profile.source, rows.layout.profile.version, *extra)))


def courier_code(text: str) -> str:
    lowered = text.lower()
    if not text:
        return ""
    if "中通" in text or "zto" in lowered:
        return "zto"
    if "申通" in text or "sto" in lowered:
        return "sto"
    return "other"


def _groups(keys: list[Any]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key:
            groups.setdefault(key, []).append(index)
    return groups


def _status(status: tuple[str, str], process: tuple[str, str]) -> tuple[str, str]:
    if process[1] and status[0] not in FINAL_STATUSES:
        return process
    if status[1]:
        return status
    return "unknown", ""


def _total(values: list[Decimal | None]) -> Decimal | None:
    """Multi-line exports repeat the order total on every row: count it once; differing values are line amounts."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return present[0] if len(set(present)) == 1 else sum(present, Decimal("0"))


def channel_records(rows: Rows, *, promise_hours: int | None) -> list[Record]:
    """One record per order number; order-level cells come from the order's first row (exports repeat them)."""
    groups = _groups(rows.values("order_no"))
    firsts = [indexes[0] for indexes in groups.values()]
    names = (*ORDER_TEXT, *ORDER_TIMES, "courier_raw", "status_pair", "payment_pair", "aftersales_pair")
    columns = [rows.values(name) for name in (*ORDER_TEXT, *ORDER_TIMES, "courier")]
    columns += [_statuses(rows), _pairs(rows, "payment", rows.layout.profile.default_payment),
                _pairs(rows, "aftersales", "")]
    lines, prints, base = _lines(rows), rows.fingerprints(), salt(rows, promise_hours)
    totals = rows.values("total_amount")
    records: list[Record] = []
    heads = zip(*([column[i] for i in firsts] for column in columns), strict=True)
    for (order_no, indexes), cells in zip(groups.items(), heads, strict=True):
        values = dict(zip(names, cells, strict=True))
        values["status"], values["status_raw"] = values.pop("status_pair")
        values["payment"], values["payment_raw"] = values.pop("payment_pair")
        values["aftersales"], values["aftersales_raw"] = values.pop("aftersales_pair")
        values["courier"] = courier_code(values["courier_raw"])
        values["total_amount"] = totals[indexes[0]] if len(indexes) == 1 else _total([totals[i] for i in indexes])
        if values["placed_at"] is None or values["ship_by"] is None:
            _fill_times(rows, values, order_no, rows.positions[indexes[0]], promise_hours)
        record = Record(key=order_no, values=values, lines=[lines[i] | {"line_no": n} for n, i in enumerate(indexes, 1)])
        records.append(record.seal(base, *(prints[i] for i in indexes)))
    return records


def _statuses(rows: Rows) -> list[tuple[str, str]]:
    """订单状态 decides when it says unpaid or cancelled; otherwise a processing status (官网 订单处理状态) does."""
    blank = [("", "")] * len(rows)
    status = rows.mapped("status") if rows.has("status") else blank
    process = rows.mapped("process_status") if rows.has("process_status") else blank
    return [_status(s, p) for s, p in zip(status, process, strict=True)]


def _pairs(rows: Rows, name: str, default: str) -> list[tuple[str, str]]:
    if not rows.has(name):
        return [(default, "")] * len(rows)
    return [pair if pair[1] else (default, "") for pair in rows.mapped(name)]


LINE_KEYS = ("sku", "name", "spec", "qty", "price", "amount")


def _lines(rows: Rows) -> list[dict[str, Any]]:
    qtys, prices, amounts = rows.values("qty"), rows.values("price"), rows.values("line_amount")
    if any(qty is not None and qty < 0 for qty in qtys):
        for qty, position in zip(qtys, rows.positions, strict=True):
            if qty is not None and qty < 0:
                rows.problems.error(position + 1, rows.header("qty"), f"数量不能为负: {qty}")
    qtys = [1 if qty is None else qty for qty in qtys]
    amounts = [amount if amount is not None or price is None else price * qty
               for amount, price, qty in zip(amounts, prices, qtys, strict=True)]
    columns = (rows.values("sku"), rows.values("name"), rows.values("spec"), qtys, prices, amounts)
    return [dict(zip(LINE_KEYS, cells, strict=True)) for cells in zip(*columns, strict=True)]


def _fill_times(rows: Rows, values: dict[str, Any], order_no: str, position: int, hours: int | None) -> None:
    """Blank 成交时间 on 拼多多: the date in the order number (YYMMDD-…); no 承诺发货时间: paid + the promise."""
    if values["placed_at"] is None and rows.layout.profile.order_no_date_prefix:
        values["placed_at"] = _date_from_number(order_no)
        if values["placed_at"] is not None:
            rows.problems.warn(position + 1, rows.header("placed_at"), "成交时间为空, 日期取自订单号")
    base = values["paid_at"] or values["placed_at"]
    if values["ship_by"] is None and hours and base is not None:
        values["ship_by"] = base + timedelta(hours=hours)


def _date_from_number(order_no: str) -> datetime | None:
    digits = order_no[:6]
    if not digits.isdigit():
        return None
    try:
        return datetime(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:6]), tzinfo=SHANGHAI)
    except ValueError:
        return None


def erp_records(rows: Rows) -> list[Record]:
    names = ("online_order_no", "shop", "platform", "abnormal", "abnormal_reason", "order_type", "paid_at",
             "ship_by", "buyer_message", "seller_note", "tracking_no")
    columns = {name: rows.values(name) for name in (*names, "erp_status", "courier")}
    prints, base = rows.fingerprints(), salt(rows)
    records = []
    for erp_order_no, indexes in _groups(rows.values("erp_order_no")).items():
        first = indexes[0]
        values = {name: columns[name][first] for name in names}
        values["abnormal"] = bool(values["abnormal"])
        values["status_raw"] = columns["erp_status"][first]
        values["courier_raw"] = columns["courier"][first]
        records.append(Record(key=erp_order_no, values=values).seal(base, *(prints[i] for i in indexes)))
    return records


def erp_aftersale_records(rows: Rows) -> list[Record]:
    names = ("erp_order_no", "online_order_no", "note")
    columns = {name: rows.values(name) for name in names}
    kinds, statuses, created = rows.mapped("kind"), rows.values("status"), rows.values("created_at")
    prints, base = rows.fingerprints(), salt(rows)
    records: dict[str, Record] = {}
    for i, number in enumerate(rows.values("aftersale_no")):
        if not number:
            continue
        values = {name: columns[name][i] for name in names}
        kind, values["kind_raw"] = kinds[i]
        values["kind"] = "other" if kind in ("", "unknown") else kind
        values["status_raw"], values["created_at_source"] = statuses[i], created[i]
        records[number] = Record(key=number, values=values).seal(base, prints[i])
    return list(records.values())


def wms_records(rows: Rows) -> list[Record]:
    names = ("erp_order_no", "warehouse", "tracking_no", "shipped_at", "last_update")
    columns = {name: rows.values(name) for name in (*names, "courier")}
    allocations = rows.mapped("allocation")
    prints, base = rows.fingerprints(), salt(rows)
    records: dict[str, Record] = {}
    for i, order_no in enumerate(rows.values("order_no")):
        if not order_no:
            continue
        values = {name: columns[name][i] for name in names}
        values["allocation"], values["allocation_raw"] = allocations[i]
        values["courier_raw"] = columns["courier"][i]
        values["courier"] = courier_code(values["courier_raw"])
        records[order_no] = Record(key=order_no, values=values).seal(base, prints[i])
    return list(records.values())


def stock_records(rows: Rows) -> list[Record]:
    columns = {name: rows.values(name) for name in ("name", "spec", "stock", "rx", "tcm")}
    records: dict[str, Record] = {}
    for i, sku in enumerate(rows.values("sku")):
        if sku:
            records[sku] = Record(key=sku, values={name: column[i] for name, column in columns.items()})
    return list(records.values())
