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
    their plan before either writes: the second waits for the first's table lock, then finds them stored when it
    reads what is stored (imports.store.write_lock). Never a traceback."""

    serialized_rollback = True

    def test_two_imports_of_the_same_new_orders_at_once_both_succeed(self) -> None:
        from opsdesk.imports import services

        with tempfile.TemporaryDirectory() as folder:
            paths = [export(Path(folder), f"{n}.csv", "official", [official_row("GW880"), official_row("GW881")])
                     for n in range(2)]
            planned, write = threading.Barrier(2, timeout=5), services.write_atomic
            waits = threading.local()

            def held(*args: Any, **kwargs: Any) -> Any:
                if not getattr(waits, "done", False):  # each import's first write only
                    waits.done = True
                    with contextlib.suppress(threading.BrokenBarrierError):
                        planned.wait()
                return write(*args, **kwargs)

            with mock.patch.object(services, "write_atomic", held):
                results = at_once(lambda n: import_file(path=paths[n], user=system_user()))
        self.assertEqual(sorted(r.status for r in results), ["imported", "unchanged"], results)
        self.assertEqual(sorted(Order.objects.values_list("order_no", flat=True)), ["GW880", "GW881"])


class RacingFactsImportsTestCase(TransactionTestCase):
    """A newer and an older WMS export imported at once: whichever commits last, the newer's facts stay (each
    import compares with what is stored, and no other writer comes between its read and its write)."""

    serialized_rollback = True

    def test_an_older_export_racing_a_newer_one_never_wins(self) -> None:
        import time

        from opsdesk.imports import writers
        from opsdesk.orders.models import WmsRecord
        from tests.imports.helpers import wms_row

        with tempfile.TemporaryDirectory() as folder:
            base = export(Path(folder), "WMS_20261123_0800.csv", "wms", [wms_row("GW1", "XD1", 分配状态="未分配",
                                                                              快递单号="", 发货时间="")])
            import_file(path=base, user=system_user())
            newer = export(Path(folder), "WMS_20261123_1000.csv", "wms", [wms_row("GW1", "XD1")])
            older = export(Path(folder), "WMS_20261123_0900.csv", "wms", [wms_row("GW1", "XD1", 分配状态="未分配",
                                                                               快递单号="", 发货时间="", 仓库="旧仓")])
            read, fetch = threading.Barrier(2, timeout=2), writers.fetch_by

            def fetched(*args: Any, **kwargs: Any) -> Any:
                rows = fetch(*args, **kwargs)
                if kwargs.get("table") == "orders_wmsrecord":
                    with contextlib.suppress(threading.BrokenBarrierError):
                        read.wait()  # both have read before either writes, unless the first holds a lock
                    if threading.current_thread().name == "older":
                        time.sleep(0.3)  # and the older one writes last
                return rows

            def run(n: int) -> Any:
                threading.current_thread().name = ("newer", "older")[n]
                return import_file(path=(newer, older)[n], user=system_user())

            with mock.patch.object(writers, "fetch_by", fetched):
                results = at_once(run)
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        record = WmsRecord.objects.get()
        self.assertEqual((record.allocation, record.tracking_no, record.warehouse), ("complete", "75300000000001", "杭州仓"))
