"""`opsdesk backup` / `restore`: a copy made while orders are being written restores to a database holding
exactly what was committed before the copy (every order with its event, every review, case and case event
identical), on SQLite and PostgreSQL; restore refuses a data dir that holds data; the daily task prunes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction
from django.test import TransactionTestCase

from opsdesk.aftersales.models import Case, CaseEvent
from opsdesk.aftersales.services import case_open
from opsdesk.core.backup import MANIFEST, backup_make
from opsdesk.core.tasks import backup_daily
from opsdesk.lib import dates
from opsdesk.orders.models import Order, OrderEvent
from opsdesk.rules.models import RxReview
from opsdesk.rules.services import rx_review
from opsdesk.test import user_make
from tests.aftersales.helpers import zto_order
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

TABLES = [model._meta.db_table for model in (Order, OrderEvent, RxReview, Case, CaseEvent)]


class Writer(threading.Thread):
    """Orders with their event, each in one transaction, until told to stop."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop, self.written, self.error = threading.Event(), 0, None

    def run(self) -> None:
        try:
            while not self.stop.is_set() or self.written < 20:
                with transaction.atomic():
                    order = OrderFactory(order_no=f"BK{self.written:06d}")
                    OrderEvent.objects.create(order=order, at=dates.now(), kind="note", text="written")
                self.written += 1
        except Exception as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def rows(cursor: Any, table: str) -> set[tuple[str, ...]]:
    cursor.execute(f'SELECT * FROM "{table}"')
    return {tuple(str(value) for value in row) for row in cursor.fetchall()}


def raw_rows(db: Any) -> dict[str, set[tuple[str, ...]]]:
    try:
        return {table: rows(db.cursor(), table) for table in TABLES}
    finally:
        db.close()


def opsdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opsdesk.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


class BackupTestCase(TransactionTestCase):
    serialized_rollback = True  # channels and templates come from data migrations

    def setUp(self) -> None:
        self.pharmacist, self.service = user_make(role="pharmacist"), user_make(role="service")
        order = zto_order()
        OrderLineFactory(order=order, line_no=2, sku="RX-1", name="处方药", qty=1, rx=True)
        rx_review(order=order, user=self.pharmacist, decision="approve", prescription="RX-BACKUP-1")
        case_open(type="lost_parcel", order_no=order.order_no, amount="12.50", user=self.service)

    def backup_during_writes(self, tmp: Path) -> tuple[Path, Writer]:
        writer = Writer()
        writer.start()
        while writer.written < 5 and writer.is_alive():
            pass
        made = backup_make(to=tmp / "backups")
        writer.stop.set()
        writer.join(60)
        self.assertIsNone(writer.error)
        return Path(made["path"]), writer

    def restored_env(self, tmp: Path) -> dict[str, str]:
        """A fresh data dir, and on PostgreSQL a fresh empty database."""
        env = {"OPSDESK_DATA_DIR": str(tmp / "restored")}
        if connection.vendor != "postgresql":
            return {**env, "OPSDESK_DATABASE_URL": ""}
        name = f"restored_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self.drop, name)
        db = connection.settings_dict
        return {**env, "OPSDESK_DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"}

    def drop(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def restored_rows(self, env: dict[str, str]) -> dict[str, set[tuple[str, ...]]]:
        if connection.vendor != "postgresql":
            return raw_rows(sqlite3.connect(Path(env["OPSDESK_DATA_DIR"]) / "opsdesk.sqlite3"))
        return raw_rows(psycopg.connect(env["OPSDESK_DATABASE_URL"].replace("postgres://", "postgresql://")))

    def source_rows(self) -> dict[str, set[tuple[str, ...]]]:
        """Read with the same driver as the copy (Django's cursor would convert booleans on SQLite)."""
        db = connection.settings_dict
        if connection.vendor != "postgresql":
            return raw_rows(sqlite3.connect(db["NAME"]))
        return raw_rows(psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"],
                                        password=db["PASSWORD"] or None))

    def test_a_backup_during_writes_restores_every_committed_row(self) -> None:
        tmp = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        backup, writer = self.backup_during_writes(tmp)
        env = self.restored_env(tmp)
        done = opsdesk("restore", str(backup), env=env)
        self.assertEqual(done.returncode, 0, done.stderr)
        restored = self.restored_rows(env)
        source = self.source_rows()
        for table in TABLES:
            self.assertLessEqual(restored[table], source[table], table)  # nothing made up, nothing changed
        orders, events = (len(restored[table]) for table in TABLES[:2])
        self.assertGreaterEqual(orders - 1, 5)  # the writes before the copy (and the seeded order)
        self.assertLess(orders - 1, writer.written)  # …but not those after it
        self.assertEqual(events, len(source[TABLES[1]]) - (writer.written - (orders - 1)))  # each with its event
        for table in TABLES[2:]:
            self.assertEqual(restored[table], source[table], table)

    def test_the_prescriptions_and_screenshots_travel_with_the_database(self) -> None:
        tmp = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        from django.conf import settings

        image = Path(settings.DATA_DIR) / "prescriptions" / "probe.png"
        image.parent.mkdir(exist_ok=True)
        image.write_bytes(b"\x89PNG probe")
        made = backup_make(to=tmp)
        self.assertEqual((Path(made["path"]) / "files" / "prescriptions" / "probe.png").read_bytes(), b"\x89PNG probe")
        env = self.restored_env(tmp)
        self.assertEqual(opsdesk("restore", made["path"], env=env).returncode, 0)
        restored = Path(env["OPSDESK_DATA_DIR"]) / "prescriptions" / "probe.png"
        self.assertEqual(restored.read_bytes(), b"\x89PNG probe")

    def test_restore_refuses_a_data_dir_that_holds_data(self) -> None:
        tmp = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        made = backup_make(to=tmp)
        env = self.restored_env(tmp)
        self.assertEqual(opsdesk("restore", made["path"], env=env).returncode, 0)
        again = opsdesk("restore", made["path"], env=env)
        self.assertEqual(again.returncode, 1)
        self.assertIn("只能恢复到空的", again.stderr)
        self.assertNotIn("Traceback", again.stderr)

    def test_the_daily_task_backs_up_and_prunes_old_backups(self) -> None:
        from django.conf import settings

        first = backup_daily.func(keep_days=30)
        old = Path(first["path"])
        manifest = json.loads((old / MANIFEST).read_text("utf-8"))
        manifest["made_at"] = (dates.now() - timedelta(days=31)).isoformat()
        (old / MANIFEST).write_text(json.dumps(manifest), "utf-8")
        second = backup_daily.func(keep_days=30)
        self.assertEqual(second["pruned"], [str(old)])
        self.assertTrue(Path(second["path"]).is_dir())
        self.assertTrue(Path(second["path"]).is_relative_to(Path(settings.DATA_DIR) / "backups"))
        self.assertFalse(old.exists())
