"""The same new orders imported twice at once, each import on its own connection (two workers, or a cron job and a
person), on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import TransactionTestCase

from opsdesk.core.roles import system_user
from opsdesk.imports.services import import_file
from opsdesk.orders.models import Order
from tests.concurrency import at_once
from tests.imports.helpers import export, official_row

pytestmark = pytest.mark.postgres


class RacingImportsTestCase(TransactionTestCase):
    """The same new orders imported by two processes at once (two workers, or a cron job and a person), both past
    their plan before either writes: the second finds them stored when it plans again. Never a traceback."""

    serialized_rollback = True

    def test_two_imports_of_the_same_new_orders_at_once_both_succeed(self) -> None:
        from opsdesk.imports import services

        with tempfile.TemporaryDirectory() as folder:
            paths = [export(Path(folder), f"{n}.csv", "official", [official_row("GW880"), official_row("GW881")])
                     for n in range(2)]
            planned, write = threading.Barrier(2, timeout=5), services.write_atomic
            waits = threading.local()

            def held(*args: Any, **kwargs: Any) -> Any:
                if not getattr(waits, "done", False):  # only each import's first write: not its retry
                    waits.done = True
                    with contextlib.suppress(threading.BrokenBarrierError):
                        planned.wait()
                return write(*args, **kwargs)

            with mock.patch.object(services, "write_atomic", held):
                results = at_once(lambda n: import_file(path=paths[n], user=system_user()))
        self.assertEqual(sorted(r.status for r in results), ["imported", "unchanged"], results)
        self.assertEqual(sorted(Order.objects.values_list("order_no", flat=True)), ["GW880", "GW881"])
