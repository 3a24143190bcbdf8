"""Validated rows → the records each kind of source writes (orders with lines, ERP orders, WMS records, …)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from opsdesk.imports.fields import Rows, stored_column
from opsdesk.lib.dates import SHANGHAI

ORDER_TEXT = ("receiver_name", "receiver_phone", "province", "city", "district", "address", "buyer_message",
              "seller_note", "tracking_no")
ORDER_TIMES = ("placed_at", "paid_at", "ship_by", "shipped_at", "delivered_at")
# Statuses of the order itself that outrank the processing status (official site: 订单状态 vs 订单处理状态).
FINAL_STATUSES = ("unpaid", "cancelled")


@dataclass
class Record:
    """One row to upsert (ERP, WMS, after-sales, stock): its key and column values; `content_hash` covers them."""

    key: str
    values: dict[str, Any]
    content_hash: str = ""

    def seal(self, *parts: str) -> Record:
        """The hash covers the cells' text (cheaper than the typed values) and whatever else shapes the record."""
        self.content_hash = digest(*parts)
        return self


# Bump when normalisation changes, so that re-imports rewrite what older code stored.
IMPORTER_VERSION = "1"


def salt(rows: Rows, *extra: object) -> str:
    return "|".join(map(str, (IMPORTER_VERSION, rows.layout.profile.source, rows.layout.profile.version, *extra)))


def courier_code(text: str | None) -> str:
    """The courier of a 快递公司 text; a refused cell (None: its row error is already recorded) is none."""
    if not text:
        return ""
    lowered = text.lower()
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


@dataclass
class OrderBatch:
    """A channel export's orders, column by column: 50k orders as dicts would cost more than the parse itself."""

    keys: list[str]  # order numbers, first seen first
    hashes: list[str]
    columns: dict[str, list[Any]]  # order column → one value per order
    groups: list[list[int]]  # per order: its data rows (indexes into `lines`)
    lines: dict[str, list[Any]]  # line column → one value per data row
    first_rows: list[int] = field(default_factory=list)  # per order: the spreadsheet row of its first line
    exported_at: datetime | None = None  # when the file says it was exported
    # ids of the file's orders stored as they are (not in `keys`) but as of an older export than the file's
    behind: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)


def agree(rows: Rows, key: str, *, whole_row: bool, exempt: tuple[str, ...] = ()) -> None:
    """Rows of one key must agree: on every cell where an export has one row per key, else on the cells stored
    on the key's own record (the first model: the order, not its lines)."""
    names = [name for name in sorted(rows.layout.columns) if name != key and name not in exempt]
    if not whole_row:
        names = [name for name in names if stored_column(rows.stored_in[:1], name) is not None]
    rows.agree(key, names)


@dataclass
class OrderPlan:
    """A channel export's orders before validation, made on the Arrow columns: per order number (its text, first
    seen first) its content hash, and per data row its order. An order whose hash is the stored one is unchanged:
    its rows need no validation or write (the same text under the same importer and profile version was validated
    and stored before)."""

    names: list[str]  # per group: its order number ('' for the rows that lack one)
    digests: list[str]  # per group: its content hash
    codes: Any  # per data row: its group (an Arrow integer array)

    @property
    def keys(self) -> list[str]:
        return [name for name in self.names if name]

    @property
    def hashes(self) -> list[str]:
        return [h for name, h in zip(self.names, self.digests, strict=True) if name]

    def changed(self, stored: dict[str, str]) -> tuple[list[int], list[str]] | None:
        """None when every order is new or changed; else the data rows to validate (every row of the orders not
        stored as they are, and rows without an order number: they are errors) and the unchanged orders' numbers."""
        import pyarrow
        import pyarrow.compute as pc

        same = [bool(name) and stored.get(name) == h for name, h in zip(self.names, self.digests, strict=True)]
        if not any(same):
            return None
        unchanged_rows = pyarrow.array(same, pyarrow.bool_()).take(self.codes)
        keep = pc.indices_nonzero(pc.invert(unchanged_rows)).to_pylist()
        return keep, [name for name, unchanged in zip(self.names, same, strict=True) if unchanged]


def order_plan(rows: Rows, *, promise_hours: int | None) -> OrderPlan:
    """Each order's hash as channel_records makes it (the salt, then its rows' fingerprints in file order), with
    Arrow doing the per-row work: the rows sorted by order (a stable sort), joined per order."""
    import pyarrow
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(rows.arrow("order_no"))
    codes, names = encoded.indices, encoded.dictionary.to_pylist()
    prints = pc.binary_join_element_wise(*(rows.arrow(name) for name in sorted(rows.layout.columns)), "\x1f")
    counted = pc.value_counts(codes)
    sizes = [0] * len(names)
    for code, count in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True):
        sizes[code] = count
    offsets = pyarrow.array([0, *accumulate(sizes)], pyarrow.int32())
    grouped = pyarrow.ListArray.from_arrays(offsets, prints.take(pc.sort_indices(codes)))
    del prints
    prefix = (salt(rows, promise_hours) + "\x1e").encode()
    digests: list[str] = []
    for start in range(0, len(grouped), PLAN_CHUNK):  # the orders' joined texts a chunk at a time: less memory
        joined = pc.binary_join(grouped.slice(start, PLAN_CHUNK), "\x1e").cast(pyarrow.binary()).to_pylist()
        digests.extend(hashlib.md5(prefix + text, usedforsecurity=False).hexdigest() for text in joined)
    return OrderPlan(names=names, digests=digests, codes=codes)


PLAN_CHUNK = 8192


def channel_records(rows: Rows, *, promise_hours: int | None, plan: OrderPlan | None = None) -> OrderBatch:
    """One order per order number; order-level cells come from the order's first row (exports repeat them), and
    must be the same on its other rows (the order total may differ: then it is the lines' amounts). `plan`: these
    rows' own plan, already made (its hashes are the orders')."""
    agree(rows, "order_no", whole_row=rows.layout.profile.one_row_per_order, exempt=("total_amount",))
    _goods_required(rows)
    by_key = _groups(rows.values("order_no"))
    keys, groups = list(by_key), list(by_key.values())
    firsts = [group[0] for group in groups]

    def heads(values: list[Any]) -> list[Any]:
        return [values[i] for i in firsts]

    columns = {name: heads(rows.values(name)) for name in (*ORDER_TEXT, *ORDER_TIMES)}
    pairs = {"status": _statuses(rows), "payment": _pairs(rows, "payment", rows.layout.profile.default_payment),
             "aftersales": _pairs(rows, "aftersales", "")}
    for name, values in pairs.items():
        chosen = heads(values)
        columns[name], columns[f"{name}_raw"] = [p[0] for p in chosen], [p[1] for p in chosen]
    columns["courier_raw"] = heads(rows.values("courier"))
    codes = {text: courier_code(text) for text in set(columns["courier_raw"])}
    columns["courier"] = [codes[text] for text in columns["courier_raw"]]
    totals = rows.values("total_amount")
    columns["total_amount"] = [totals[g[0]] if len(g) == 1 else _total([totals[i] for i in g]) for g in groups]
    _fill_times(rows, keys, columns, firsts, promise_hours)
    if plan is not None and plan.keys == keys:
        hashes = plan.hashes
    else:
        prints, base = rows.fingerprints(), salt(rows, promise_hours)
        hashes = [digest(base, *(prints[i] for i in group)) for group in groups]
    return OrderBatch(keys=keys, hashes=hashes, columns=columns, groups=groups, lines=_lines(rows),
                      first_rows=[rows.positions[i] + 1 for i in firsts])


def _goods_required(rows: Rows) -> None:
    """Each data row is a line of goods: one with neither 商品编码 nor 商品名称 (an order number alone, a footer
    the total-row test does not know) would be a line of nothing, ×1."""
    import pyarrow.compute as pc

    named = [name for name in ("sku", "name") if rows.has(name)]
    if not named or not rows.positions:
        return
    blank = pc.and_(*(pc.equal(rows.arrow(name), "") for name in ("sku", "name")))
    if not pc.any(blank).as_py():
        return
    header = rows.header(named[0])
    for index in pc.indices_nonzero(blank).to_pylist():
        rows.problems.error(rows.positions[index] + 1, header, "商品编码和商品名称都为空: 这一行不是商品")


def digest(*parts: str) -> str:
    return hashlib.md5("\x1e".join(parts).encode(), usedforsecurity=False).hexdigest()


def _statuses(rows: Rows) -> list[tuple[str, str]]:
    """订单状态 decides when it says unpaid or cancelled; otherwise a processing status (官网 订单处理状态) does."""
    blank = [("", "")] * len(rows)
    status = rows.mapped("status") if rows.has("status") else blank
    process = rows.mapped("process_status") if rows.has("process_status") else blank
    both = list(zip(status, process, strict=True))
    decided = {pair: _status(*pair) for pair in set(both)}
    return [decided[pair] for pair in both]


def _pairs(rows: Rows, name: str, default: str) -> list[tuple[str, str]]:
    if not rows.has(name):
        return [(default, "")] * len(rows)
    return [pair if pair[1] else (default, "") for pair in rows.mapped(name)]


LINE_KEYS = ("sku", "name", "spec", "qty", "price", "amount")


def _lines(rows: Rows) -> dict[str, list[Any]]:
    qtys, prices, amounts = rows.values("qty"), rows.values("price"), rows.values("line_amount")
    qtys = [1 if qty is None else qty for qty in qtys]
    amounts = [amount if amount is not None or price is None else price * qty
               for amount, price, qty in zip(amounts, prices, qtys, strict=True)]
    return {"sku": rows.values("sku"), "name": rows.values("name"), "spec": rows.values("spec"), "qty": qtys,
            "price": prices, "amount": amounts}


def _fill_times(
    rows: Rows, keys: list[str], columns: dict[str, list[Any]], firsts: list[int], hours: int | None
) -> None:
    """Blank 成交时间 on 拼多多: the date in the order number (YYMMDD-…); no 承诺发货时间: paid + the promise."""
    placed, paid, ship_by = columns["placed_at"], columns["paid_at"], columns["ship_by"]
    if rows.layout.profile.order_no_date_prefix:
        for n in [n for n, value in enumerate(placed) if value is None]:
            placed[n], row = _date_from_number(keys[n]), rows.positions[firsts[n]] + 1
            if placed[n] is not None:
                rows.problems.warn(row, rows.header("placed_at"), "成交时间为空, 日期取自订单号")
            elif paid[n] is None:  # no time at all: the order would never be due, overdue or in a day's batch
                rows.problems.error(row, rows.header("placed_at"), f"成交时间为空, 订单号 {keys[n]} 中也没有日期")
    if hours:
        for n in [n for n, value in enumerate(ship_by) if value is None]:
            base = paid[n] or placed[n]
            ship_by[n] = base + timedelta(hours=hours) if base is not None else None


def _date_from_number(order_no: str) -> datetime | None:
    digits = order_no[:6]
    if not digits.isdigit():
        return None
    try:
        return datetime(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:6]), tzinfo=SHANGHAI)
    except ValueError:
        return None


def erp_records(rows: Rows) -> list[Record]:
    agree(rows, "erp_order_no", whole_row=False)
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
    agree(rows, "aftersale_no", whole_row=True)
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
    agree(rows, "order_no", whole_row=True)
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
    agree(rows, "sku", whole_row=True)
    columns = {name: rows.values(name) for name in ("name", "spec", "stock", "rx", "tcm")}
    records: dict[str, Record] = {}
    for i, sku in enumerate(rows.values("sku")):
        if sku:
            records[sku] = Record(key=sku, values={name: column[i] for name, column in columns.items()})
    return list(records.values())
