"""A big first load drops the plain indexes of orders and lines (on PostgreSQL also the lines' foreign key to the
orders) and builds them again after it, in the same transaction (SQLite and PostgreSQL): the import is whole and
every index and key is back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from opsdesk.imports import store
from opsdesk.orders.models import Order, OrderLine
from tests.imports.helpers import import_rows, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def constraints(kind: str) -> set[tuple[str, Any]]:
    """(name, what it refers to) of the orders' and lines' constraints of this kind ("index", "foreign_key")."""
    with connection.cursor() as cursor:
        found = {name: facts for model in (Order, OrderLine)
                 for name, facts in connection.introspection.get_constraints(cursor, model._meta.db_table).items()}
    return {(name, facts["foreign_key"]) for name, facts in found.items() if facts[kind]}


def test_a_big_first_load_builds_the_indexes_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "REBUILD_ROWS", 2)
    monkeypatch.setattr("opsdesk.imports.writers.REBUILD_ROWS", 2)
    before, keys = constraints("index"), constraints("foreign_key")
    rows = [official_row(f"GW{n}", 商品编码=f"SKU-{line}") for n in range(3) for line in range(2)]
    result = import_rows(tmp_path, "官网.xlsx", "official", rows)
    assert (result.status, result.created) == ("imported", 3), result.errors
    assert constraints("index") == before and len(before) > 5
    assert constraints("foreign_key") == keys and ("orders_order", "id") in {k for _, k in keys}
    assert OrderLine.objects.filter(order__order_no="GW2").count() == 2
