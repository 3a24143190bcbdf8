"""Query pieces the ORM has no word for."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.db.models import F, Lookup, Model

# What may not stand inside the quoted LIKE pattern as plain text (quotes, wildcards, the escape character).
NOT_PLAIN = ("'", "%", "_", "\\")


class Holds(Lookup):
    """`column LIKE '%text%'` with `text` written into the SQL, not passed as a parameter. Only then can a partial
    index whose condition is this same test serve a query: SQLite (like PostgreSQL) matches an index's condition
    against the query's terms as written, and `LIKE ?` is not the same term as the pattern it will be given.
    A lookup, so that a filter or an index condition takes it as it is: `Q(Holds("erp_note", "新建售后单【"))`."""

    lookup_name = "holds"
    prepare_rhs = False

    def __init__(self, column: str, text: str) -> None:
        if not text or any(mark in text for mark in NOT_PLAIN):
            raise ValueError(f"Holds: {text!r} is not plain text")
        super().__init__(F(column), text)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = self.process_lhs(compiler, connection)
        # `%%`: the statement is %-formatted with its parameters before it runs (an index condition with its own).
        return f"{sql} LIKE '%%{self.rhs}%%'", tuple(params)


def columns_of(model: type[Model], plain: type) -> list[str]:
    """The fields of the dataclass `plain` that are columns of `model`, in the dataclass's order: what to read
    (`values(…)`) to make one from a row, declared once by the dataclass."""
    own = {field.name for field in model._meta.concrete_fields}
    return [field.name for field in fields(plain) if field.name in own]


# The largest primary key either database holds (a signed 64-bit integer): SQLite raises OverflowError binding more.
ID_MAX = 2**63 - 1


def record_id(text: str) -> int:
    """A primary key as a request gives it; ValueError for anything that is none (text, 0, 20 digits)."""
    value = int(text)
    if not 0 < value <= ID_MAX:
        raise ValueError(f"no record id: {text!r}")
    return value


class RecordIdConverter:
    """`<id:name>` in a URL: a primary key; any other number is no such page (404), not a 500 on SQLite."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return record_id(value)

    def to_url(self, value: int) -> str:
        return str(value)
