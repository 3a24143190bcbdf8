"""What each kind of source writes: orders and their lines, ERP orders, ERP after-sales, WMS records, stock; and
the join of ERP/WMS facts onto orders (whichever arrives first)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Model

from opsdesk.imports.freshness import moves_back
from opsdesk.imports.lines import lines_differing, lines_keep
from opsdesk.imports.records import OrderBatch, Record, courier_code
from opsdesk.imports.store import (
    REBUILD_ROWS,
    adapter,
    columns_of,
    constants_apart,
    converted_columns,
    db_row,
    db_value,
    delete_in,
    execute_in,
    fetch_by,
    fetch_rows,
    ids_reserve,
    indexes_rebuilt,
    insert,
    insert_missing,
    is_postgres,
    key_of,
    moment,
    now_value,
    overwrite,
    sqlite_times,
    sqlite_value,
    time_columns,
    update,
    upsert,
    write_lock,
)
from opsdesk.orders.models import (
    RETURN_PREFIX,
    ChannelAftersale,
    ErpAftersale,
    ErpOrder,
    Order,
    OrderLine,
    WmsRecord,
)


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    restocked: list[str] = field(default_factory=list)
    depleted: list[str] = field(default_factory=list)
    stale: dict[int, str] = field(default_factory=dict)  # batch index → why (STALE_TEXT): left as they were
    lines_replaced: list[int] = field(default_factory=list)  # ids of existing orders whose lines changed
    became_rx: list[str] = field(default_factory=list)  # SKUs of products a stock import made Rx


def _split(records: list[Record], existing: dict[str, tuple[Any, ...]]) -> tuple[list[Record], list[Record]]:
    """New records, and existing ones whose content changed (hash is the last fetched column)."""
    new = [r for r in records if r.key not in existing]
    changed = [r for r in records if r.key in existing and existing[r.key][-1] != r.content_hash]
    return new, changed


# Order columns that are neither what a channel export sets (OrderBatch.columns) nor facts of ERP/WMS
# (facts_apply fills those) are the import's own bookkeeping.
BOOKKEEPING = ("id", "channel_id", "order_no", "has_rx", "has_tcm", "content_hash", "exported_at", "created_at",
               "updated_at")


def order_defaults(exported: Iterable[str]) -> dict[str, Any]:
    """A new order's columns that its export does not set: the model's defaults (ERP/WMS facts join on later)."""
    skip = {*exported, *BOOKKEEPING}
    return {str(f.column): f.get_default() for f in Order._meta.concrete_fields if f.column not in skip}


KEEP_WHEN_BLANK = ("courier", "courier_raw", "tracking_no")


def orders_write(cursor: Any, *, channel_id: int, batch: OrderBatch) -> Written:
    """Upsert the batch's new and changed orders; lines that differ are replaced (the old kept: imports/lines.py);
    listings and ERP/WMS facts follow. An order the batch would move backwards (status, or an older export) is
    left as it is and reported."""
    table = "orders_order"
    write_lock(cursor, table)
    existing = channel_orders(cursor, channel_id=channel_id, keys=batch.keys,
                              columns=["id", "status", "exported_at", "content_hash"])
    new = [n for n, key in enumerate(batch.keys) if key not in existing]
    differing = [n for n, key in enumerate(batch.keys) if key in existing and existing[key][-1] != batch.hashes[n]]
    stale = _stale(batch, existing, differing)
    changed = [n for n in differing if n not in stale]
    _exported_at_raise(cursor, batch=batch, existing=existing, stale=stale)
    chosen = new + changed
    if not chosen:
        return Written(stale=stale)
    flags = _line_flags(cursor, batch)
    has = [[any(flag[r] for r in batch.groups[n]) for n in chosen] if any(flag) else [False] * len(chosen)
           for flag in flags]
    now = now_value()
    keys = [batch.keys[n] for n in chosen]
    values = [db_column(name, [batch.columns[name][n] for n in chosen]) for name in batch.columns]
    same = {"channel_id": channel_id, "exported_at": db_value(batch.exported_at), "updated_at": now,
            "created_at": now, **order_defaults(batch.columns)}
    columns = ["order_no", *batch.columns, "has_rx", "has_tcm", "content_hash"]
    cells = [keys, *values, *has, [batch.hashes[n] for n in chosen]]
    columns, cells, constant = constants_apart(columns, cells)
    same |= constant
    # The new orders' ids are assigned here (not re-selected after the insert): their lines need them.
    ids = dict(zip([batch.keys[n] for n in new], ids_reserve(cursor, table=table, count=len(new)), strict=True))
    ids |= {batch.keys[n]: existing[batch.keys[n]][0] for n in changed}
    # Rows are made as they are written (zip, islice): 50,000 rows of 40 cells are not all held at once.
    rows = zip(ids.values(), *cells, strict=True)
    updates = _order_updates(table, batch.columns)
    with indexes_rebuilt(cursor, models=(Order, OrderLine), rows=_first_load(cursor, table, len(new))):
        upsert(cursor, table=table, conflict=["channel_id", "order_no"], columns=["id", *columns],
               rows=islice(rows, len(new)), updates=updates, new=True, same=same)
        upsert(cursor, table=table, conflict=["channel_id", "order_no"], columns=columns,
               rows=(row[1:] for row in rows), updates=updates, same=same)
        # Lines are rewritten only where they differ, the old ones kept in the history first (never just deleted).
        relined = lines_differing(cursor, batch, {n: existing[batch.keys[n]][0] for n in changed}, flags)
        lines_keep(cursor, relined, at=now)
        delete_in(cursor, table="orders_orderline", key="order_id", keys=list(relined))
        _lines_insert(cursor, batch, new + [n for n in changed if ids[batch.keys[n]] in relined], ids, flags)
    _listings_add(cursor, channel_id=channel_id, batch=batch, now=now)
    facts_apply(cursor, order_nos=keys)
    return Written(created=len(new), updated=len(changed), stale=stale, lines_replaced=list(relined))


def _first_load(cursor: Any, table: str, new: int) -> int:
    """`new` when it is a big load into a table no larger than it (rebuild the indexes after), else 0."""
    if new < REBUILD_ROWS:
        return 0
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return new if cursor.fetchone()[0] <= new else 0


def _order_updates(table: str, exported: Iterable[str]) -> dict[str, str]:
    """What a changed order takes from the export: everything, except that a blank cell never blanks a fact."""
    updates = {c: f"excluded.{c}" for c in (*exported, "has_rx", "has_tcm", "content_hash", "updated_at")}
    updates |= {c: overwrite(c, table) for c in KEEP_WHEN_BLANK}
    updates |= {c: overwrite(c, table, when="status_raw") for c in ("status", "status_raw")}
    updates |= {c: f"COALESCE(excluded.{c}, {table}.{c})" for c in ("shipped_at", "delivered_at", "exported_at")}
    return updates


def _stale(batch: OrderBatch, existing: dict[str, tuple[Any, ...]], differing: list[int]) -> dict[int, str]:
    """The orders among `differing` this batch must not touch, each with why."""
    exported = batch.exported_at
    stale: dict[int, str] = {}
    for n in differing:
        _, status, stored_export, _ = existing[batch.keys[n]]
        if exported is not None and stored_export is not None and exported < moment(stored_export):
            stale[n] = "export"
        elif batch.columns["status_raw"][n] and moves_back(status, batch.columns["status"][n]):
            stale[n] = "status"
    return stale


def _exported_at_raise(
    cursor: Any, *, batch: OrderBatch, existing: dict[str, tuple[Any, ...]], stale: dict[int, str]
) -> None:
    """Unchanged orders are as of this (newer) export too: an export older than it must not win later. Only the
    orders the plan found stored as of an older export (or none) are rewritten, by id: a file dated like the last
    one rewrites nothing, and no order is looked up again by its number."""
    if batch.exported_at is None:
        return
    exported = db_value(batch.exported_at)
    written = [row[0] for n, key in enumerate(batch.keys) if (row := existing.get(key)) is not None and n not in stale]
    # By id alone: with a channel_id term SQLite walks a channel index for each chunk (0.25 → 0.67 s for 50,000).
    execute_in(cursor, sql="UPDATE orders_order SET exported_at = %s WHERE (exported_at IS NULL OR exported_at < %s) "
                           "AND id IN_KEYS", keys=[*batch.behind, *written], params=[exported, exported])


# A file with at least this share of the channel's orders reads all of them: one scan beats the chunked lookups.
SCAN_SHARE = 0.3


def channel_orders(
    cursor: Any, *, channel_id: int, keys: list[str], columns: list[str]
) -> dict[str, tuple[Any, ...]]:
    """order_no → (columns…) of these orders of the channel (maybe more of its orders: a file holding much of the
    channel reads it whole); nothing asked for when the channel has no orders yet (a first import)."""
    return {row[0]: row[1:] for row in _channel_rows(cursor, channel_id=channel_id, keys=keys, columns=columns)}


def _channel_rows(
    cursor: Any, *, channel_id: int, keys: list[str], columns: list[str], params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """(order_no, columns…) rows for channel_orders, as the cursor gives them; `params`: those of the columns."""
    if not keys:
        return []
    # Counted only as far as decides it (a channel of 70,000 orders and a day's 3,500 keys: 11,667 rows).
    enough = int(len(keys) / SCAN_SHARE) + 1
    cursor.execute("SELECT COUNT(*) FROM (SELECT 1 FROM orders_order WHERE channel_id = %s LIMIT %s) AS stored",
                   [channel_id, enough])
    stored = cursor.fetchone()[0]
    if not stored:
        return []
    if stored < enough:  # then it is the channel's whole count, at most len(keys) / SCAN_SHARE
        cursor.execute(f"SELECT order_no, {', '.join(columns)} FROM orders_order WHERE channel_id = %s",
                       [*params, channel_id])
        return cursor.fetchall()  # type: ignore[no-any-return]
    # fetch_rows puts its params first, as the select list's come before the WHERE's.
    return fetch_rows(cursor, table="orders_order", key="order_no", keys=keys, columns=columns,
                      where="channel_id = %s AND", params=[*params, channel_id])


@dataclass
class Stored:
    """What a channel import's plan needs of the orders stored: their content hashes, and for a dated file the ids
    of those stored as of an older export (or of none), whose exported_at an unchanged row raises."""

    hashes: dict[str, str]
    behind: dict[str, int] = field(default_factory=dict)


def stored_orders(*, channel_id: int, keys: list[str], exported_at: datetime | None) -> Stored:
    """The stored side of the plan, each mapping made in one pass over the rows as fetched. Which orders are behind
    the file is the database's comparison (the UPDATE's own, and no stored time becomes a Python datetime)."""
    with connection.cursor() as cursor:
        if exported_at is None:
            return Stored(hashes=dict(_channel_rows(cursor, channel_id=channel_id, keys=keys,
                                                    columns=["content_hash"])))
        rows = _channel_rows(cursor, channel_id=channel_id, keys=keys, params=[db_value(exported_at)],
                             columns=["content_hash", "CASE WHEN exported_at IS NULL OR exported_at < %s THEN id END"])
    return Stored(hashes={key: digest for key, digest, _ in rows},
                  behind={key: id_ for key, _, id_ in rows if id_ is not None})


def db_column(name: str, values: list[Any]) -> list[Any]:
    """SQLite's stored form of one column's values (times all at once, others each distinct value once)."""
    if is_postgres() or name not in converted_columns():
        return values
    if name in time_columns():
        return sqlite_times(values)
    stored = {value: sqlite_value(value) for value in set(values)}
    return [stored[value] for value in values]


def _line_flags(cursor: Any, batch: OrderBatch) -> tuple[list[bool], list[bool]]:
    """Rx and TCM per data row, from the products already known. A SKU the catalogue spells otherwise (syt00001,
    ＳＹＴ00001 for SYT00001) is the catalogue's product, and the line takes its spelling: an Rx drug must not pass for
    an unknown product by its case or width."""
    skus = batch.lines["sku"]
    wanted = sorted(set(skus) - {""})
    found = fetch_by(cursor, table="orders_product", key="sku", keys=wanted, columns=["rx", "tcm"])
    spelt = _catalogue_spelling(cursor, [sku for sku in wanted if sku not in found])
    if spelt:
        batch.lines["sku"] = skus = [spelt[sku][0] if sku in spelt else sku for sku in skus]
        found |= {product[0]: product[1:] for product in spelt.values()}
    if not found:
        return [False] * len(skus), [False] * len(skus)
    known = {sku: (bool(rx), bool(tcm)) for sku, (rx, tcm) in found.items()}
    pairs = [known.get(sku, (False, False)) for sku in skus]
    return [rx for rx, _ in pairs], [tcm for _, tcm in pairs]


def _catalogue_spelling(cursor: Any, missing: list[str]) -> dict[str, tuple[Any, ...]]:
    """Imported SKU → (the product's own SKU, rx, tcm), for SKUs that match a product only when case and width are
    folded."""
    if not missing:
        return {}
    cursor.execute("SELECT sku, rx, tcm FROM orders_product")
    catalogue = {sku_folded(row[0]): tuple(row) for row in cursor.fetchall()}
    return {sku: catalogue[sku_folded(sku)] for sku in missing if sku_folded(sku) in catalogue}


def sku_folded(sku: str) -> str:
    return unicodedata.normalize("NFKC", sku).upper()


def _lines_insert(
    cursor: Any, batch: OrderBatch, chosen: list[int], ids: dict[str, int], flags: tuple[list[bool], list[bool]]
) -> None:
    picked = [r for n in chosen for r in batch.groups[n]]
    made: dict[str, list[Any]] = {
        "order_id": [ids[batch.keys[n]] for n in chosen for _ in batch.groups[n]],
        "line_no": [number for n in chosen for number in range(1, len(batch.groups[n]) + 1)],
        "rx": [flags[0][r] for r in picked], "tcm": [flags[1][r] for r in picked],
    }
    columns = columns_of(OrderLine)
    cells = [made[c] if c in made else db_column(c, [batch.lines[c][r] for r in picked]) for c in columns]
    columns, cells, same = constants_apart(columns, cells)
    insert(cursor, table=OrderLine._meta.db_table, columns=columns, rows=zip(*cells, strict=True), same=same)


def _listings_add(cursor: Any, *, channel_id: int, batch: OrderBatch, now: Any) -> None:
    titles: dict[str, str] = {}
    for sku, name in zip(batch.lines["sku"], batch.lines["name"], strict=True):
        if sku and sku not in titles:
            titles[sku] = name[:200]
    rows = [(channel_id, sku, title, "", True, now) for sku, title in sorted(titles.items())]  # now: stored form
    insert_missing(cursor, table="orders_listing", conflict=["channel_id", "sku"], rows=rows,
                   columns=["channel_id", "sku", "title", "channel_item_id", "active", "updated_at"])


def _keyed_write(
    cursor: Any, *, model: type[Model], records: list[Record], kept: Kept | None = None,
    stated_at: datetime | None = None,
) -> tuple[Written, list[Record]]:
    """Upsert records into a table keyed by its one unique column; the other columns are the model's. Also the
    records written (new or changed): only their facts need joining again. `kept`: what a changed record must not
    take back of the stored one, as of the export time `stated_at` (None: the file states none)."""
    table, key = model._meta.db_table, key_of(model)
    write_lock(cursor, table)
    columns = tuple(c for c in columns_of(model) if c not in (key, *RECORD_BOOKKEEPING))
    held = (*kept.columns, "exported_at") if kept else ()
    existing = fetch_by(cursor, table=table, key=key, keys=[r.key for r in records], columns=[*held, "content_hash"])
    new, changed = _split(records, existing)
    updates = {c: f"excluded.{c}" for c in (*columns, *RECORD_BOOKKEEPING)}
    stale: dict[int, str] = {}
    if kept:
        changed, stale = kept.apply(records, changed, existing, stated_at=stated_at)
        for record in new + changed:
            record.values["exported_at"] = stated_at
        updates["exported_at"] = f"COALESCE(excluded.exported_at, {table}.exported_at)"
        unchanged = [r.key for r in records if r.key in existing and existing[r.key][-1] == r.content_hash]
        _record_export_raise(cursor, table=table, key=key, stated_at=stated_at, keys=unchanged)
    now, adapt = now_value(), adapter([key, *columns])
    rows = [adapt([r.key, *(r.values[c] for c in columns), r.content_hash, now]) for r in new + changed]
    upsert(cursor, table=table, conflict=[key], columns=[key, *columns, *RECORD_BOOKKEEPING], rows=rows,
           updates=updates)
    return Written(created=len(new), updated=len(changed), stale=stale), new + changed


def _record_export_raise(cursor: Any, *, table: str, key: str, keys: list[str], stated_at: datetime | None) -> None:
    """Unchanged records are as of this export too (as orders are: _exported_at_raise)."""
    if stated_at is not None:
        value = db_value(stated_at)
        execute_in(cursor, sql=f"UPDATE {table} SET exported_at = %s WHERE (exported_at IS NULL OR exported_at < %s) "
                               f"AND {key} IN_KEYS", keys=keys, params=[value, value])


RECORD_BOOKKEEPING = ("content_hash", "updated_at")


@dataclass(frozen=True)
class Kept:
    """The WMS/ERP side of "facts never move backwards": a record stored as of a later export than the file's is
    left as it is; a blank cell (an export without the column, or an older one) keeps the stored value; `back`
    names why a record would move backwards, and then its `held` columns stay as stored (the rest is written)."""

    blank: tuple[str, ...]
    held: tuple[str, ...]
    back: Callable[[dict[str, Any], dict[str, Any]], str | None]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.blank, *self.held)))

    def apply(
        self, records: list[Record], changed: list[Record], existing: dict[str, tuple[Any, ...]], *,
        stated_at: datetime | None,
    ) -> tuple[list[Record], dict[int, str]]:
        """The changed records still to write, the stored values merged in; index (in `records`) → why, of those
        left or held back."""
        index = {id(record): n for n, record in enumerate(records)}
        stale, kept = {}, []
        for record in changed:
            *values, stored_export, _ = existing[record.key]
            if stated_at is not None and stored_export is not None and stated_at < moment(stored_export):
                stale[index[id(record)]] = "export"
                continue
            why = self._merge(dict(zip(self.columns, values, strict=True)), record.values)
            if why:
                stale[index[id(record)]] = why
            kept.append(record)
        return kept, stale

    def _merge(self, stored: dict[str, Any], values: dict[str, Any]) -> str | None:
        values.update({c: stored[c] for c in self.blank if values[c] in ("", None) and stored[c] not in ("", None)})
        why = self.back(stored, values)
        if why:
            values.update({c: stored[c] for c in self.held})
        return why


# The WMS's allocation moves forward only: not pushed, unallocated, short or partly allocated, allocated.
# 未知 (unknown) is off the line: no step back, and nothing it replaces is one either.
ALLOCATION_RANK = {"": 0, "none": 1, "short": 2, "partial": 2, "complete": 3}


def _allocation_back(stored: dict[str, Any], incoming: dict[str, Any]) -> str | None:
    before, after = ALLOCATION_RANK.get(stored["allocation"]), ALLOCATION_RANK.get(incoming["allocation"])
    return "allocation" if before is not None and after is not None and after < before else None


def _return_mark_lost(stored: dict[str, Any], incoming: dict[str, Any]) -> str | None:
    """万里牛 writes 新建售后单【…】 into the 卖家备注 when a return is back in the warehouse: once seen, a note
    without it is an older one."""
    had, has = (RETURN_PREFIX in (row["seller_note"] or "") for row in (stored, incoming))
    return "return_mark" if had and not has else None


WMS_KEPT = Kept(blank=("erp_order_no", "warehouse", "courier", "courier_raw", "tracking_no", "shipped_at",
                       "last_update"), held=("allocation", "allocation_raw"), back=_allocation_back)
ERP_KEPT = Kept(blank=("courier_raw", "tracking_no"), held=("seller_note",), back=_return_mark_lost)


def erp_write(cursor: Any, *, records: list[Record], stated_at: datetime | None = None) -> Written:
    """Unchanged ERP orders were joined when they were written (or when their order came): only the written ones
    are joined again."""
    written, changed = _keyed_write(cursor, model=ErpOrder, records=records, kept=ERP_KEPT, stated_at=stated_at)
    facts_apply(cursor, order_nos=[r.values["online_order_no"] for r in changed if r.values["online_order_no"]])
    return written


def wms_write(cursor: Any, *, records: list[Record], stated_at: datetime | None = None) -> Written:
    written, changed = _keyed_write(cursor, model=WmsRecord, records=records, kept=WMS_KEPT, stated_at=stated_at)
    facts_apply(cursor, order_nos=[r.key for r in changed])
    return written


def erp_aftersales_write(cursor: Any, *, records: list[Record]) -> Written:
    """After-sales rows link to the ERP order by either number: fill the one the row leaves blank."""
    by_erp = fetch_by(cursor, table="orders_erporder", key="erp_order_no", columns=["online_order_no"],
                      keys=sorted({r.values["erp_order_no"] for r in records if r.values["erp_order_no"]}))
    for record in records:
        values = record.values
        if not values["online_order_no"] and values["erp_order_no"] in by_erp:
            values["online_order_no"] = by_erp[values["erp_order_no"]][0]
            record.seal(record.content_hash, values["online_order_no"])
    return _keyed_write(cursor, model=ErpAftersale, records=records)[0]


ORDER_FACTS = ("erp_order_no", "erp_status_raw", "erp_abnormal", "erp_abnormal_reason", "erp_order_type",
               "erp_note", "payment", "allocation", "allocation_raw", "warehouse", "courier", "courier_raw",
               "tracking_no", "shipped_at")
ERP_FACTS = ("erp_order_no", "status_raw", "abnormal", "abnormal_reason", "order_type", "seller_note",
             "courier_raw", "tracking_no")
WMS_FACTS = ("erp_order_no", "warehouse", "allocation", "allocation_raw", "courier", "courier_raw", "tracking_no",
             "shipped_at")


def facts_apply(cursor: Any, *, order_nos: list[str]) -> int:
    """Copy what the ERP (by 线上订单号) and the WMS (by 订单编号) know onto the orders with these numbers."""
    numbers = sorted(set(order_nos))
    erp: dict[str, dict[str, Any]] = {}
    for row in fetch_rows(cursor, table="orders_erporder", key="online_order_no", keys=numbers, columns=ERP_FACTS):
        facts = dict(zip(ERP_FACTS, row[1:], strict=True))
        if row[0] not in erp or _erp_rank(facts) > _erp_rank(erp[row[0]]):
            erp[row[0]] = facts
    wms = fetch_by(cursor, table="orders_wmsrecord", key="order_no", keys=numbers, columns=WMS_FACTS)
    numbers = sorted(erp.keys() | wms.keys())
    orders = fetch_rows(cursor, table="orders_order", key="order_no", keys=numbers, columns=["id", *ORDER_FACTS])
    changes = []
    for row in orders:
        current = dict(zip(ORDER_FACTS, row[2:], strict=True))
        merged = _merge_facts(current, erp.get(row[0]), wms.get(row[0]))
        if merged != current:
            changes.append((*(merged[c] for c in ORDER_FACTS), now_value(), row[1]))
    update(cursor, table="orders_order", key="id", columns=[*ORDER_FACTS, "updated_at"], rows=changes)
    return len(changes)


def _erp_rank(facts: dict[str, Any]) -> tuple[bool, str]:
    """Several ERP orders for one channel order (after-sales, reissues): the original, else the latest."""
    return (facts["order_type"] != "售后订单", facts["erp_order_no"])


def _merge_facts(current: dict[str, Any], erp: dict[str, Any] | None, wms: tuple[Any, ...] | None) -> dict[str, Any]:
    merged = dict(current)
    if erp:
        merged.update(erp_order_no=erp["erp_order_no"], erp_status_raw=erp["status_raw"],
                      erp_abnormal=bool(erp["abnormal"]), erp_abnormal_reason=erp["abnormal_reason"],
                      erp_order_type=erp["order_type"], erp_note=erp["seller_note"])
        if erp["order_type"] == "货到付款":
            merged["payment"] = "cod"
        if erp["tracking_no"]:
            merged.update(courier=courier_code(erp["courier_raw"]), courier_raw=erp["courier_raw"],
                          tracking_no=erp["tracking_no"])
    if wms:
        facts = dict(zip(WMS_FACTS, wms, strict=True))
        merged.update({k: facts[k] for k in ("allocation", "allocation_raw", "warehouse")})
        merged.update({k: facts[k] for k in ("erp_order_no", "courier", "courier_raw", "tracking_no") if facts[k]})
        if facts["shipped_at"]:
            merged["shipped_at"] = facts["shipped_at"]
    return merged


PRODUCT_FIELDS = ("name", "spec", "stock", "rx", "tcm")


def stock_write(cursor: Any, *, records: list[Record], flag_columns: bool) -> Written:
    """Products' stock (and Rx/TCM flags when the sheet has them); order lines follow changed flags."""
    existing = fetch_by(cursor, table="orders_product", key="sku", keys=[r.key for r in records],
                        columns=PRODUCT_FIELDS)
    now, written = now_value(), Written()
    new_rows, changed_rows, flags_changed = [], [], []
    for record in records:
        old = dict(zip(PRODUCT_FIELDS, existing.get(record.key, ("", "", None, False, False)), strict=True))
        value = {k: record.values[k] or old[k] for k in ("name", "spec")} | {"stock": record.values["stock"]}
        value |= {k: record.values[k] if flag_columns else bool(old[k]) for k in ("rx", "tcm")}
        if (value["rx"], value["tcm"]) != (bool(old["rx"]), bool(old["tcm"])):
            flags_changed.append((value["rx"], value["tcm"], record.key))
            if value["rx"] and not old["rx"]:
                written.became_rx.append(record.key)
        _stock_moves(written, record.key, old["stock"], value["stock"])
        row = db_row([*(value[k] for k in PRODUCT_FIELDS), now, record.key])
        if record.key not in existing:
            new_rows.append(row)
        elif value != {**old, "rx": bool(old["rx"]), "tcm": bool(old["tcm"])}:
            changed_rows.append(row)
    insert(cursor, table="orders_product", columns=[*PRODUCT_FIELDS, "updated_at", "sku", "reissue_sku"],
           rows=[(*row, "") for row in new_rows])
    update(cursor, table="orders_product", key="sku", columns=[*PRODUCT_FIELDS, "updated_at"], rows=changed_rows)
    _line_flags_refresh(cursor, flags_changed)
    written.created, written.updated = len(new_rows), len(changed_rows)
    return written


def _stock_moves(written: Written, sku: str, old: int | None, new: int | None) -> None:
    if new is None:
        return
    if new > 0 and old is not None and old <= 0:
        written.restocked.append(sku)
    elif new <= 0 and (old is None or old > 0):
        written.depleted.append(sku)


def _line_flags_refresh(cursor: Any, flags: list[tuple[bool, bool, str]]) -> None:
    """Order lines of these SKUs take the product's Rx/TCM flags; their orders' has_rx/has_tcm follow."""
    if not flags:
        return
    update(cursor, table="orders_orderline", key="sku", columns=["rx", "tcm"], rows=flags)
    execute_in(cursor, keys=[sku for _, _, sku in flags], sql=(
        "UPDATE orders_order SET "
        "has_rx = EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = orders_order.id AND l.rx), "
        "has_tcm = EXISTS (SELECT 1 FROM orders_orderline l WHERE l.order_id = orders_order.id AND l.tcm) "
        "WHERE id IN (SELECT order_id FROM orders_orderline WHERE sku IN_KEYS)"))


def channel_aftersales_write(cursor: Any, *, records: list[Record]) -> Written:
    """A channel's after-sales requests, keyed by their 售后编号: nothing is copied onto the orders (the rule
    aftersale_expiring reads them by the order's channel and number)."""
    return _keyed_write(cursor, model=ChannelAftersale, records=records)[0]
