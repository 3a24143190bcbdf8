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

    def seal(self) -> Record:
        facts = (sorted(self.values.items()), [sorted(line.items()) for line in self.lines])
        self.content_hash = hashlib.md5(repr(facts).encode(), usedforsecurity=False).hexdigest()
        return self


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


def _status(status: tuple[str, str] | None, process: tuple[str, str] | None) -> tuple[str, str]:
    if process and process[1] and not (status and status[0] in FINAL_STATUSES):
        return process
    if status and status[1]:
        return status
    return "unknown", ""


def _total(values: list[Decimal | None]) -> Decimal | None:
    """Multi-line exports repeat the order total on every row: count it once; differing values are line amounts."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return present[0] if len(set(present)) == 1 else sum(present, Decimal("0"))


def channel_records(rows: Rows, *, promise_hours: int | None) -> list[Record]:
    columns = {name: rows.values(name) for name in (*ORDER_TEXT, *ORDER_TIMES, "total_amount", "courier")}
    mapped = {name: rows.mapped(name) if rows.has(name) else None
              for name in ("status", "process_status", "payment", "aftersales")}
    lines = _lines(rows)
    records: list[Record] = []
    for order_no, indexes in _groups(rows.values("order_no")).items():
        first = indexes[0]
        values: dict[str, Any] = {name: columns[name][first] for name in (*ORDER_TEXT, *ORDER_TIMES)}
        values["status"], values["status_raw"] = _status(
            *(mapped[name][first] if mapped[name] else None for name in ("status", "process_status")))  # type: ignore[index]
        payment = mapped["payment"][first] if mapped["payment"] else ("", "")
        values["payment"], values["payment_raw"] = payment if payment[1] else (rows.layout.profile.default_payment, "")
        values["aftersales"], values["aftersales_raw"] = mapped["aftersales"][first] if mapped["aftersales"] else ("", "")
        values["courier_raw"] = columns["courier"][first]
        values["courier"] = courier_code(values["courier_raw"])
        values["total_amount"] = _total([columns["total_amount"][i] for i in indexes])
        _fill_times(rows, values, order_no, rows.positions[first], promise_hours)
        record = Record(key=order_no, values=values, lines=[lines[i] for i in indexes])
        for number, line in enumerate(record.lines, start=1):
            line["line_no"] = number
        records.append(record.seal())
    return records


def _lines(rows: Rows) -> list[dict[str, Any]]:
    skus, names, specs = rows.values("sku"), rows.values("name"), rows.values("spec")
    qtys, prices, amounts = rows.values("qty"), rows.values("price"), rows.values("line_amount")
    out: list[dict[str, Any]] = []
    for i, position in enumerate(rows.positions):
        qty = 1 if qtys[i] is None else qtys[i]
        if qty < 0:
            rows.problems.error(position + 1, rows.header("qty"), f"数量不能为负: {qty}")
        amount = amounts[i] if amounts[i] is not None else (prices[i] * qty if prices[i] is not None else None)
        out.append({"sku": skus[i], "name": names[i], "spec": specs[i], "qty": qty, "price": prices[i],
                    "amount": amount})
    return out


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
    records = []
    for erp_order_no, indexes in _groups(rows.values("erp_order_no")).items():
        first = indexes[0]
        values = {name: columns[name][first] for name in names}
        values["abnormal"] = bool(values["abnormal"])
        values["status_raw"] = columns["erp_status"][first]
        values["courier_raw"] = columns["courier"][first]
        records.append(Record(key=erp_order_no, values=values).seal())
    return records


def erp_aftersale_records(rows: Rows) -> list[Record]:
    names = ("erp_order_no", "online_order_no", "note")
    columns = {name: rows.values(name) for name in names}
    kinds, statuses, created = rows.mapped("kind"), rows.values("status"), rows.values("created_at")
    records: dict[str, Record] = {}
    for i, number in enumerate(rows.values("aftersale_no")):
        if not number:
            continue
        values = {name: columns[name][i] for name in names}
        kind, values["kind_raw"] = kinds[i]
        values["kind"] = "other" if kind in ("", "unknown") else kind
        values["status_raw"], values["created_at_source"] = statuses[i], created[i]
        records[number] = Record(key=number, values=values).seal()
    return list(records.values())


def wms_records(rows: Rows) -> list[Record]:
    names = ("erp_order_no", "warehouse", "tracking_no", "shipped_at", "last_update")
    columns = {name: rows.values(name) for name in (*names, "courier")}
    allocations = rows.mapped("allocation")
    records: dict[str, Record] = {}
    for i, order_no in enumerate(rows.values("order_no")):
        if not order_no:
            continue
        values = {name: columns[name][i] for name in names}
        values["allocation"], values["allocation_raw"] = allocations[i]
        values["courier_raw"] = columns["courier"][i]
        values["courier"] = courier_code(values["courier_raw"])
        records[order_no] = Record(key=order_no, values=values).seal()
    return list(records.values())


def stock_records(rows: Rows) -> list[Record]:
    columns = {name: rows.values(name) for name in ("name", "spec", "stock", "rx", "tcm")}
    records: dict[str, Record] = {}
    for i, sku in enumerate(rows.values("sku")):
        if sku:
            records[sku] = Record(key=sku, values={name: column[i] for name, column in columns.items()})
    return list(records.values())
