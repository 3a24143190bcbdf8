"""The import's writes, through the database cursor (the ORM is ~10× slower for 50k-order upserts).

One guarded upsert per table: `INSERT … ON CONFLICT (key) DO UPDATE … WHERE content_hash differs`, with
`executemany` on SQLite and COPY into a staging table on PostgreSQL. Callers run it inside one transaction."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

CHUNK = 900  # below SQLite's default limit of bound parameters per statement


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _orders_columns(kinds: Any) -> frozenset[str]:
    return frozenset(str(field.column) for model in apps.get_app_config("orders").get_models()
                     for field in model._meta.concrete_fields if isinstance(field, kinds))


@cache
def converted_columns() -> frozenset[str]:
    """The columns SQLite needs converted values for: the orders app's time and money columns (from the models)."""
    return _orders_columns(models.DateTimeField | models.DecimalField)


@cache
def time_columns() -> frozenset[str]:
    return _orders_columns(models.DateTimeField)


def columns_of(model: type[models.Model]) -> list[str]:
    """The table's columns, the primary key left out (the database assigns it)."""
    return [str(field.column) for field in model._meta.concrete_fields if not field.primary_key]


def key_of(model: type[models.Model]) -> str:
    """The one unique column (besides the primary key) that records of this table are upserted by."""
    return next(str(f.column) for f in model._meta.concrete_fields if f.unique and not f.primary_key)


def db_value(value: Any) -> Any:
    """SQLite gets what Django itself stores: UTC datetimes as text, decimals as text; PostgreSQL the objects."""
    return value if is_postgres() else sqlite_value(value)


def sqlite_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        offset = value.utcoffset()
        return (value.replace(tzinfo=None) - offset if offset else value.replace(tzinfo=None)).isoformat(" ")
    if isinstance(value, Decimal):
        return str(value)
    return value


def sqlite_times(values: list[datetime | None]) -> list[str | None]:
    """sqlite_value over a column of times, formatted by Arrow (under half the Python time for 50,000); a column
    with a time in microseconds (no export has them) takes the Python path, which keeps them."""
    import pyarrow

    if not any(value is not None and value.microsecond for value in values):
        try:
            array = pyarrow.array(values, pyarrow.timestamp("s", tz="UTC"))
        except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
            pass
        else:
            # Arrow's text of a naive time in seconds is SQLite's 'YYYY-MM-DD HH:MM:SS' (strftime takes 30 times longer).
            return array.cast(pyarrow.timestamp("s")).cast(pyarrow.string()).to_pylist()  # type: ignore[no-any-return]
    return [sqlite_value(value) for value in values]


def moment(value: datetime | str) -> datetime:
    """A stored time as fetched through the cursor (naive UTC or text on SQLite) → an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def adapter(columns: Sequence[str]) -> Callable[[Iterable[Any]], tuple[Any, ...]]:
    """A row converter for these columns: only time and money columns need work, and only on SQLite."""
    if is_postgres():
        return tuple
    touched = [index for index, name in enumerate(columns) if name in converted_columns()]

    def adapt(values: Iterable[Any]) -> tuple[Any, ...]:
        row = list(values)
        for index in touched:
            if row[index] is not None:
                row[index] = sqlite_value(row[index])
        return tuple(row)

    return adapt


def db_row(values: Iterable[Any]) -> tuple[Any, ...]:
    if is_postgres():
        return tuple(values)
    return tuple(db_value(value) for value in values)


def now_value() -> Any:
    return db_value(timezone.now())


# A load at least this large into a table at most as large (a first import) rebuilds the plain indexes after it.
REBUILD_ROWS = 50_000


@contextlib.contextmanager
def indexes_rebuilt(cursor: Any, *, models: Sequence[type[models.Model]], rows: int,
                    keep_unique: bool = True) -> Iterator[None]:
    """Building an index once from all the rows is several times faster than growing it row by row: for a big load
    drop the plain indexes and create them again from their own SQL, in the same transaction. Unique ones stay (an
    upsert's ON CONFLICT needs them) unless `keep_unique` is off (SQLite; PostgreSQL's back constraints)."""
    if rows < REBUILD_ROWS:
        yield
        return
    tables = [model._meta.db_table for model in models]
    indexes = _plain_indexes(cursor, tables) if is_postgres() else _sqlite_indexes(cursor, tables, keep_unique)
    for name, _sql in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    if indexes and is_postgres():  # the deferred foreign-key checks of the load first: CREATE INDEX refuses to wait
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for _name, sql in indexes:
        cursor.execute(sql)
    if indexes and is_postgres():
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _sqlite_indexes(cursor: Any, tables: list[str], keep_unique: bool) -> list[tuple[str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    unique = "AND sql NOT LIKE 'CREATE UNIQUE%%'" if keep_unique else ""
    cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL {unique} "
                   f"AND tbl_name IN ({marks})", tables)
    return [tuple(row) for row in cursor.fetchall()]


def _plain_indexes(cursor: Any, tables: list[str]) -> list[tuple[str, str]]:
    """PostgreSQL: the tables' indexes that are neither unique nor behind a constraint, with their definitions."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
        "AND NOT x.indisunique AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)", [tables])
    return [tuple(row) for row in cursor.fetchall()]


def write_lock(cursor: Any, table: str) -> None:
    """SQLite: take the database's write lock now (any write statement does, even one that matches nothing), so
    that no other writer can come between what this transaction reads and what it writes (ids_reserve's ids).
    PostgreSQL locks rows as it writes them and hands out ids from a sequence."""
    if not is_postgres():
        cursor.execute(f"UPDATE {table} SET id = id WHERE id = -1")


def ids_reserve(cursor: Any, *, table: str, count: int) -> list[int]:
    """`count` new primary keys for `table`, for rows inserted with their ids (no re-select afterwards). SQLite
    (after write_lock): past the largest id ever handed out (AUTOINCREMENT's sqlite_sequence: a deleted row's id is
    never given again); PostgreSQL: from the table's sequence."""
    if not count:
        return []
    if is_postgres():
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"SELECT MAX(id) FROM {table}")
    largest = cursor.fetchone()[0] or 0
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    found = cursor.fetchone()
    start = max(largest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def tune(cursor: Any) -> None:
    """A bigger page cache (32 MB, against SQLite's 2 MB) keeps the index B-trees of an import in memory; 128 MB
    was no faster, for a first import of 50,000 orders nor for a day against 500,000, and held 20 MB more."""
    if not is_postgres():
        cursor.execute("PRAGMA cache_size = -32768")


def fetch_rows(
    cursor: Any, *, table: str, key: str, keys: Sequence[Any], columns: Sequence[str], where: str = "",
    params: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """(key, columns…) of the rows whose `key` is in `keys`: on PostgreSQL one query with the keys as one array
    parameter (900-key chunks cost it five times SQLite's time), on SQLite in chunks below its parameter limit."""
    found: list[tuple[Any, ...]] = []
    select = ", ".join([key, *columns])
    if is_postgres():
        if keys:
            cursor.execute(f"SELECT {select} FROM {table} WHERE {where} {key} = ANY(%s)", [*params, list(keys)])
            found.extend(tuple(row) for row in cursor.fetchall())
        return found
    for part in chunks(list(keys)):
        marks = ", ".join(["%s"] * len(part))
        cursor.execute(f"SELECT {select} FROM {table} WHERE {where} {key} IN ({marks})", [*params, *part])
        found.extend(tuple(row) for row in cursor.fetchall())
    return found


def fetch_by(
    cursor: Any, *, table: str, key: str, keys: Sequence[str], columns: Sequence[str], where: str = "",
    params: Sequence[Any] = (),
) -> dict[str, tuple[Any, ...]]:
    """key → (columns…) for the rows whose `key` is in `keys` (the key is unique in the selection)."""
    rows = fetch_rows(cursor, table=table, key=key, keys=keys, columns=columns, where=where, params=params)
    return {row[0]: row[1:] for row in rows}


def upsert(
    cursor: Any, *, table: str, conflict: Sequence[str], columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
    updates: dict[str, str],
) -> None:
    """Insert `rows`; a row whose key exists updates `updates` (column → SQL expression over `excluded`) unless its
    content_hash is the same."""
    made = _nonempty(rows)
    if made is None:
        return
    names = ", ".join(columns)
    tail = (
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
        + ", ".join(f"{column} = {expression}" for column, expression in updates.items())
        + f" WHERE {table}.content_hash <> excluded.content_hash"
    )
    if not is_postgres():
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {tail}", made)
        return
    stage = f"stage_{table}"
    cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM {table} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
        for row in made:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} {tail}")
    cursor.execute(f"DROP TABLE {stage}")


def _nonempty(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]] | None:
    """The rows (a list, or made one by one as they are written: a big load never holds them all), None if none."""
    found = iter(rows)
    first = next(found, None)
    return None if first is None else itertools.chain([first], found)


def insert(cursor: Any, *, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    made = _nonempty(rows)
    if made is None:
        return
    names = ", ".join(columns)
    if not is_postgres():
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", made)
        return
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in made:
            copy.write_row(row)


def delete_in(cursor: Any, *, table: str, key: str, keys: Sequence[Any]) -> None:
    execute_in(cursor, sql=f"DELETE FROM {table} WHERE {key} IN_KEYS", keys=keys)


def execute_in(cursor: Any, *, sql: str, keys: Sequence[Any], params: Sequence[Any] = ()) -> None:
    """`sql` ends in `{key} IN_KEYS`: run it for these keys (one array on PostgreSQL, chunks on SQLite)."""
    if not keys:
        return
    if is_postgres():
        cursor.execute(sql.replace("IN_KEYS", "= ANY(%s)"), [*params, list(keys)])
        return
    for part in chunks(list(keys)):
        cursor.execute(sql.replace("IN_KEYS", f"IN ({', '.join(['%s'] * len(part))})"), [*params, *part])


def overwrite(column: str, table: str, *, when: str = "") -> str:
    """Keep what is there when the new export leaves the cell (or the `when` cell) blank: WMS/ERP facts outrank an
    empty column, and a file without a status keeps the status."""
    return f"CASE WHEN excluded.{when or column} <> '' THEN excluded.{column} ELSE {table}.{column} END"
