"""The import's writes, through the database cursor (the ORM is ~10× slower for 50k-order upserts).

One guarded upsert per table: `INSERT … ON CONFLICT (key) DO UPDATE … WHERE content_hash differs`, with
`executemany` on SQLite and a binary COPY into a staging table on PostgreSQL; there, too, rows are inserted by binary
COPY, many keys are looked up through a copied key table and many rows updated by one `UPDATE … FROM` a copied table.
Callers run it inside one transaction."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
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
    upsert's ON CONFLICT needs them) unless `keep_unique` is off (SQLite; PostgreSQL's back constraints). On
    PostgreSQL the foreign keys between the tables go too and come back after (checked once by one join, not by a
    trigger per row: 0.5 s of a first load of 50,000 orders)."""
    if rows < REBUILD_ROWS:
        yield
        return
    tables = [model._meta.db_table for model in models]
    if not is_postgres():
        indexes = _sqlite_indexes(cursor, tables, keep_unique)
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        for _name, sql in indexes:
            cursor.execute(sql)
        return
    with _constraints_immediate(cursor):  # ALTER TABLE refuses a table with deferred checks pending
        rebuilt = [sql for _drop, sql in _pg_dropped(cursor, tables)]
    yield
    with _constraints_immediate(cursor):  # CREATE INDEX refuses to wait for the load's deferred checks
        for sql in rebuilt:
            cursor.execute(sql)


@contextlib.contextmanager
def _constraints_immediate(cursor: Any) -> Iterator[None]:
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _pg_dropped(cursor: Any, tables: list[str]) -> list[tuple[str, str]]:
    """Drop the tables' plain indexes, then their foreign keys: (the drop, the SQL that makes each again), in the
    order to make them again (an index before a key that may want it)."""
    quote = connection.ops.quote_name
    dropped = [(f"DROP INDEX {quote(name)}", sql) for name, sql in _plain_indexes(cursor, tables)]
    dropped += [(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}",
                 f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
                for table, name, definition in _foreign_keys(cursor, tables)]
    for drop, _sql in dropped:
        cursor.execute(drop)
    return dropped


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


def _foreign_keys(cursor: Any, tables: list[str]) -> list[tuple[str, str, str]]:
    """PostgreSQL: (table, name, definition) of the foreign keys between these tables (lines → orders). One to
    another table stays: dropping it would lock that table (orders → channels, which every page reads) against
    readers until the commit, for 0.2 s of checks."""
    cursor.execute("SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                   "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid "
                   "WHERE c.contype = 'f' AND t.relname = ANY(%s) AND r.relname = ANY(%s) "
                   "AND pg_table_is_visible(t.oid) AND pg_table_is_visible(r.oid) ORDER BY t.relname, c.conname",
                   [tables, tables])
    return [tuple(row) for row in cursor.fetchall()]


def write_lock(cursor: Any, table: str) -> None:
    """Take the table's write lock now, so that no other writer can come between what this transaction reads
    and what it writes: the stored rows the writer compares with (an older export must not win over a newer one
    written meanwhile), and on SQLite ids_reserve's ids. SQLite: the database's write lock (any write statement
    takes it, even one that matches nothing). PostgreSQL: an advisory lock on the table's name until the commit
    (its rows are locked only as they are written, after the read)."""
    if is_postgres():
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [table])
    else:
        cursor.execute(f"UPDATE {table} SET id = id WHERE id = -1")


def ids_reserve(cursor: Any, *, table: str, count: int) -> list[int]:
    """`count` new primary keys for `table`, for rows inserted with their ids (no re-select afterwards). SQLite
    (after write_lock): past the largest id ever handed out (AUTOINCREMENT's sqlite_sequence: a deleted row's id is
    never given again); PostgreSQL: from the table's sequence."""
    if not count:
        return []
    if is_postgres():
        # The sequence named once: pg_get_serial_sequence in the select list ran per row (0.19 → 0.03 s for 50,000).
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
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


# PostgreSQL: a lookup of at least this many keys joins them as a copied table (3,500 order numbers against
# 500,000 orders: 35 → 21 ms; 50,000: 127 → 45 ms) instead of one array parameter, and at least this many rows
# are updated, or inserted unless there, from a copied table by one statement instead of one statement each.
KEYS_JOINED = 1000
ROWS_STAGED = 100


def fetch_rows(
    cursor: Any, *, table: str, key: str, keys: Sequence[Any], columns: Sequence[str], where: str = "",
    params: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """(key, columns…) of the rows whose `key` is in `keys`: on PostgreSQL one query (the keys one array parameter,
    or a copied table when there are many: 900-key chunks cost it five times SQLite's time), on SQLite in chunks
    below its parameter limit."""
    found: list[tuple[Any, ...]] = []
    select = ", ".join([key, *columns])
    if is_postgres():
        if keys:
            with _keys_in(cursor, keys) as (condition, values):
                cursor.execute(f"SELECT {select} FROM {table} WHERE {where} {key} {condition}", [*params, *values])
                found.extend(tuple(row) for row in cursor.fetchall())
        return found
    for part in chunks(list(keys)):
        marks = ", ".join(["%s"] * len(part))
        cursor.execute(f"SELECT {select} FROM {table} WHERE {where} {key} IN ({marks})", [*params, *part])
        found.extend(tuple(row) for row in cursor.fetchall())
    return found


KEY_TYPES = {str: "text", int: "bigint"}


@contextlib.contextmanager
def _keys_in(cursor: Any, keys: Sequence[Any]) -> Iterator[tuple[str, list[Any]]]:
    """PostgreSQL: the condition a key column is put to (after the column) and its parameters: `= ANY(array)`, or
    for many keys `IN` a temporary table of them."""
    if len(keys) < KEYS_JOINED:
        yield "= ANY(%s)", [list(keys)]
        return
    kind = KEY_TYPES[type(keys[0])]
    with _copied(cursor, name="import_keys", select=f"SELECT NULL::{kind} AS key", columns=["key"], types=[kind],
                 rows=((key,) for key in keys)) as joined:
        yield f"IN (SELECT key FROM {joined})", []


@contextlib.contextmanager
def _copied(cursor: Any, *, name: str, select: str, columns: Sequence[str], types: Sequence[str],
            rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """PostgreSQL: a temporary table shaped like `select`, the rows copied in, for the statement run inside; dropped
    after it, and at the commit if it fails (in a transaction of its own when the caller is in none: a look-up
    before the import's write, which must not leave the table to the next user of the connection)."""
    with transaction.atomic(savepoint=False):
        cursor.execute(f"CREATE TEMP TABLE {name} ON COMMIT DROP AS {select} WITH NO DATA")
        _copy(cursor, into=name, columns=columns, types=types, rows=rows)
        yield name
        cursor.execute(f"DROP TABLE {name}")


def fetch_by(
    cursor: Any, *, table: str, key: str, keys: Sequence[str], columns: Sequence[str], where: str = "",
    params: Sequence[Any] = (),
) -> dict[str, tuple[Any, ...]]:
    """key → (columns…) for the rows whose `key` is in `keys` (the key is unique in the selection)."""
    rows = fetch_rows(cursor, table=table, key=key, keys=keys, columns=columns, where=where, params=params)
    return {row[0]: row[1:] for row in rows}


@cache
def _models_by_table() -> dict[str, type[models.Model]]:
    return {model._meta.db_table: model for model in apps.get_models()}


def column_types(table: str, columns: Sequence[str]) -> list[str]:
    """PostgreSQL: the types of these columns as the table's model declares them, for a binary COPY (the type's
    name without its size: psycopg knows `varchar`, not `varchar(64)`)."""
    fields = {field.column: field for field in _models_by_table()[table]._meta.concrete_fields}
    return [str(fields[column].db_type(connection)).split("(")[0] for column in columns]


def _copy(cursor: Any, *, into: str, columns: Sequence[str], types: Sequence[str],
          rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL: COPY the rows in binary, typed (no text for the server to parse: with the new orders copied
    straight into their table, 50,000 orders' write 1.0–1.5 → 0.5 s). Through psycopg's own cursor, so its errors
    are made Django's here, as the cursor's own statements' are (a key stored by another import since: IntegrityError)."""
    with connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY {into} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


@contextlib.contextmanager
def _staged(cursor: Any, *, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """PostgreSQL: a temporary table with these columns of `table`, the rows copied in."""
    with _copied(cursor, name=f"stage_{table}", select=f"SELECT {', '.join(columns)} FROM {table}", columns=columns,
                 types=column_types(table, columns), rows=rows) as stage:
        yield stage


def upsert(
    cursor: Any, *, table: str, conflict: Sequence[str], columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
    updates: dict[str, str], new: bool = False, same: dict[str, Any] | None = None,
) -> None:
    """Insert `rows`; a row whose key exists updates `updates` (column → SQL expression over `excluded`) unless its
    content_hash is the same. `new`: the caller found none of the keys stored (SQLite: after write_lock), and
    PostgreSQL copies the rows straight into the table: a writer that stored one of them since fails on the unique
    key here instead of on the new row's foreign keys at the commit (its lines refer to the id it was given).
    `same`: columns with one value on every row, not in `rows`."""
    columns, rows, values = _spread(cursor, columns=columns, rows=rows, same=same or {})
    if new and is_postgres():
        insert(cursor, table=table, columns=columns, rows=rows)
        return
    _insert_or(cursor, table=table, columns=columns, rows=rows, values=values, conflict=(
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
        + ", ".join(f"{column} = {expression}" for column, expression in updates.items())
        + f" WHERE {table}.content_hash <> excluded.content_hash"))


def _spread(
    cursor: Any, *, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], same: dict[str, Any]
) -> tuple[list[str], Iterable[tuple[Any, ...]], list[str]]:
    """The columns, rows and VALUES entries with the `same` columns added: SQLite binds every value of every row, so
    they go into the statement once, as literals SQLite quotes itself (a first load's 50,000 官网 orders bind 13 of
    their 41 values fewer each); PostgreSQL's COPY takes them on each row."""
    names, marks = [*columns, *same], ["%s"] * len(columns)
    if not same:
        return names, rows, marks
    if is_postgres():
        tail = tuple(same.values())
        return names, (row + tail for row in rows), marks + ["%s"] * len(same)
    cursor.execute("SELECT " + ", ".join(["quote(%s)"] * len(same)), list(same.values()))
    return names, rows, marks + [literal.replace("%", "%%") for literal in cursor.fetchone()]


def insert_missing(
    cursor: Any, *, table: str, conflict: Sequence[str], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert the rows whose key (`conflict`) is not stored yet; the others are left as they are."""
    _insert_or(cursor, table=table, columns=columns, rows=rows, conflict=(
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"), staged=len(rows) >= ROWS_STAGED)


def _insert_or(
    cursor: Any, *, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], conflict: str,
    staged: bool = True, values: Sequence[str] = (),
) -> None:
    """INSERT with its ON CONFLICT clause: on PostgreSQL (when `staged`) from a copied table, one statement.
    `values`: the VALUES entries (default a parameter for each column)."""
    made = _nonempty(rows)
    if made is None:
        return
    names = ", ".join(columns)
    if not (staged and is_postgres()):
        _values_inserted(cursor, head=f"INSERT INTO {table} ({names})", marks=values or ["%s"] * len(columns),
                         rows=made, tail=conflict)
        return
    with _staged(cursor, table=table, columns=columns, rows=made) as stage:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} {conflict}")


# Rows per INSERT on SQLite (fewer where their parameters would pass CHUNK): executemany's cost per statement (the
# Python call, reset, one step) is paid once for all of them. A first load of 50,000 orders, timed in the process:
# the lines' insert 0.89-1.29 → 0.51-0.62 s, the orders' 0.70-0.86 → 0.45-0.49 s (one row a statement → these).
ROWS_PER_INSERT = 100


def _values_inserted(
    cursor: Any, *, head: str, marks: Sequence[str], rows: Iterable[tuple[Any, ...]], tail: str = ""
) -> None:
    """`head` VALUES (marks), (marks), … `tail` (SQLite, and PostgreSQL's few rows), the rows taken a statement's
    worth at a time; the rows left over go in one statement of their own. `marks`: each column's entry, a parameter
    or a literal. Two rows of one key in one statement are written one after the other, as executemany's were."""
    per = max(1, min(ROWS_PER_INSERT, CHUNK // max(1, sum(mark == "%s" for mark in marks))))
    entry = f"({', '.join(marks)})"
    rows, left = iter(rows), []

    def statements() -> Iterator[tuple[Any, ...]]:
        while len(chunk := list(itertools.islice(rows, per))) == per:
            yield tuple(itertools.chain.from_iterable(chunk))
        left.extend(chunk)

    cursor.executemany(f"{head} VALUES {', '.join([entry] * per)} {tail}", statements())
    if left:
        cursor.execute(f"{head} VALUES {', '.join([entry] * len(left))} {tail}", list(itertools.chain(*left)))


def _nonempty(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]] | None:
    """The rows (a list, or made one by one as they are written: a big load never holds them all), None if none."""
    found = iter(rows)
    first = next(found, None)
    return None if first is None else itertools.chain([first], found)


def insert(cursor: Any, *, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
           same: dict[str, Any] | None = None) -> None:
    """`same`: columns with one value on every row, not in `rows` (as upsert's)."""
    made = _nonempty(rows)
    if made is None:
        return
    names, spread, marks = _spread(cursor, columns=columns, rows=made, same=same or {})
    if not is_postgres():
        _values_inserted(cursor, head=f"INSERT INTO {table} ({', '.join(names)})", marks=marks, rows=spread)
        return
    _copy(cursor, into=table, columns=names, types=column_types(table, names), rows=spread)


# Fewer rows than this keep every value bound: the statement that quotes the literals would cost what they save.
CONSTANTS_FROM = 100


def constants_apart(
    columns: Sequence[str], cells: Sequence[list[Any]]
) -> tuple[list[str], list[list[Any]], dict[str, Any]]:
    """SQLite: the columns (each a list of its rows' values) with one value on every row, taken out to go into the
    statement once as upsert's and insert's `same`. Every export lacks some of an order's columns (官网 has no
    发货时间, 签收时间 or 售后), and executemany binds each value of each row: in the bench's first load 7 of an
    order's 42 values and 3 of a line's 10 are the same on every row. PostgreSQL's COPY carries every value anyway:
    nothing moves there."""
    if is_postgres() or not cells or len(cells[0]) < CONSTANTS_FROM:
        return list(columns), list(cells), {}
    kept: tuple[list[str], list[list[Any]]] = ([], [])
    same: dict[str, Any] = {}
    for column, values in zip(columns, cells, strict=True):
        if _one_value(values):
            same[column] = values[0]
        else:
            kept[0].append(column)
            kept[1].append(values)
    return *kept, same


def _one_value(values: list[Any]) -> bool:
    """Every value equal to the first, and of its type (1 == 1.0 == True, but SQLite stores them apart)."""
    first = values[0]
    return values[-1] == first and values.count(first) == len(values) and len(set(map(type, values))) == 1


def update(cursor: Any, *, table: str, key: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Set `columns` (each row's values, then its `key`) of the rows with that key: on PostgreSQL, for many rows,
    one `UPDATE … FROM` a copied table."""
    if not rows:
        return
    if not is_postgres() or len(rows) < ROWS_STAGED:
        sets = ", ".join(f"{column} = %s" for column in columns)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", rows)
        return
    with _staged(cursor, table=table, columns=[*columns, key], rows=rows) as stage:
        sets = ", ".join(f"{column} = staged.{column}" for column in columns)
        cursor.execute(f"UPDATE {table} SET {sets} FROM {stage} AS staged WHERE {table}.{key} = staged.{key}")


def delete_in(cursor: Any, *, table: str, key: str, keys: Sequence[Any]) -> None:
    execute_in(cursor, sql=f"DELETE FROM {table} WHERE {key} IN_KEYS", keys=keys)


def execute_in(cursor: Any, *, sql: str, keys: Sequence[Any], params: Sequence[Any] = ()) -> None:
    """`sql` ends in `{key} IN_KEYS`: run it for these keys (one array or a copied table on PostgreSQL, chunks on
    SQLite)."""
    if not keys:
        return
    if is_postgres():
        with _keys_in(cursor, keys) as (condition, values):
            cursor.execute(sql.replace("IN_KEYS", condition), [*params, *values])
        return
    for part in chunks(list(keys)):
        cursor.execute(sql.replace("IN_KEYS", f"IN ({', '.join(['%s'] * len(part))})"), [*params, *part])


def overwrite(column: str, table: str, *, when: str = "") -> str:
    """Keep what is there when the new export leaves the cell (or the `when` cell) blank: WMS/ERP facts outrank an
    empty column, and a file without a status keeps the status."""
    return f"CASE WHEN excluded.{when or column} <> '' THEN excluded.{column} ELSE {table}.{column} END"
