"""store.upsert's `same` columns: one value for every row, written into SQLite's statement as literals (quoted by
SQLite) and copied with each row on PostgreSQL; a value with quotes and a percent sign is stored as it is. On SQLite
each INSERT carries many rows: every one is written, the rows left over from the last full statement too."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from opsdesk.imports import store
from opsdesk.imports.store import db_value, upsert
from opsdesk.orders.models import ErpOrder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOTE = "50% 'off' \"now\" %s ?"


def upsert_erp(rows: list[tuple[str, str]], *, note: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        upsert(cursor, table=ErpOrder._meta.db_table, conflict=["erp_order_no"],
               columns=["erp_order_no", "content_hash"], rows=rows,
               updates={"seller_note": "excluded.seller_note", "content_hash": "excluded.content_hash"},
               same={**defaults(), "seller_note": note})


def defaults() -> dict[str, object]:
    """The model's defaults of the columns these rows leave out (the time of now for updated_at)."""
    given = {"id", "erp_order_no", "content_hash"}
    found = {str(f.column): f.get_default() for f in ErpOrder._meta.concrete_fields if f.column not in given}
    return found | {"updated_at": db_value(timezone.now())}


def test_it_stores_the_same_values_on_every_row() -> None:
    upsert_erp([("XD1", "a"), ("XD2", "b")], note=NOTE)
    assert dict(ErpOrder.objects.values_list("erp_order_no", "seller_note")) == {"XD1": NOTE, "XD2": NOTE}


def test_a_changed_row_takes_the_same_values_too() -> None:
    upsert_erp([("XD1", "a")], note="old")
    upsert_erp([("XD1", "b"), ("XD2", "b")], note=NOTE)
    assert list(ErpOrder.objects.order_by("erp_order_no").values_list("seller_note", "content_hash")) == [
        (NOTE, "b"), (NOTE, "b")]


@pytest.mark.parametrize(("rows_per_insert", "parameters"), [(3, 900), (100, 5)])
def test_rows_of_several_statements_are_all_written_or_updated(
        monkeypatch: pytest.MonkeyPatch, rows_per_insert: int, parameters: int) -> None:
    """Three rows a statement, or two (two parameters a row, five at most): full statements and the rows left over."""
    monkeypatch.setattr(store, "ROWS_PER_INSERT", rows_per_insert)
    monkeypatch.setattr(store, "CHUNK", parameters)
    upsert_erp([(f"XD{n}", "a") for n in range(8)], note="old")
    upsert_erp([(f"XD{n}", "b" if n % 2 else "a") for n in range(11)], note=NOTE)
    stored = {number: (digest, note) for number, digest, note in
              ErpOrder.objects.values_list("erp_order_no", "content_hash", "seller_note")}
    assert stored == {f"XD{n}": ("b", NOTE) if n % 2 else ("a", "old" if n < 8 else NOTE) for n in range(11)}
