"""A big first load drops the plain indexes of orders and lines and builds them again after it, in the same
transaction (SQLite and PostgreSQL): the import is whole and every index is back."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from opsdesk.imports import store
from opsdesk.orders.models import Order, OrderLine
from tests.imports.helpers import import_rows, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        tables = [Order._meta.db_table, OrderLine._meta.db_table]
        return {name for table in tables for name in connection.introspection.get_constraints(cursor, table)
                if connection.introspection.get_constraints(cursor, table)[name]["index"]}


def test_a_big_first_load_builds_the_indexes_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "REBUILD_ROWS", 2)
    monkeypatch.setattr("opsdesk.imports.writers.REBUILD_ROWS", 2)
    before = indexes()
    rows = [official_row(f"GW{n}", 商品编码=f"SKU-{line}") for n in range(3) for line in range(2)]
    result = import_rows(tmp_path, "官网.xlsx", "official", rows)
    assert (result.status, result.created) == ("imported", 3), result.errors
    assert indexes() == before and len(before) > 5
    assert OrderLine.objects.filter(order__order_no="GW2").count() == 2
