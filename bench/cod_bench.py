"""COD sheet benchmark (issue 4): 200,000 open orders in a fresh SQLite database, then the 货到付款 sheet for one
day (goal < 1 s), built in memory and written to a file.

    .venv/bin/python bench/cod_bench.py [--orders 200000] [--history 0] [--repeat 5] [--keep DIR]

`bench/checklist_bench.py` measures the checklist on the same kind of database (it imports `database_fill`)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AT = datetime.fromisoformat("2026-11-23T10:30:00+08:00")


def timed(label: str, fn: Callable[[], Any], *, repeat: int = 1) -> tuple[float, Any]:
    """Run `fn` `repeat` times; print and return the median seconds and the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    spread = f"  (min {min(seconds):.3f}, max {max(seconds):.3f}, n={repeat})" if repeat > 1 else ""
    print(f"{label:<40} {median:8.3f} s{spread}", flush=True)
    return median, result


def database_fill(*, orders: int, keep: Path | None, history: int = 0) -> Path:
    """A fresh SQLite database under a new data dir, migrated and filled with `orders` open orders (and `history`
    closed ones spread over the months before, as a shop that has run for a while has)."""
    work = keep or Path(tempfile.mkdtemp(prefix="opsdesk-bench-"))
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("opsdesk.sqlite3", "opsdesk.sqlite3-wal", "opsdesk.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)
    os.environ["OPSDESK_DATA_DIR"] = str(data_dir)
    os.environ.pop("OPSDESK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from opsdesk.demo.bulk import orders_bulk_insert

    call_command("migrate", verbosity=0)
    for month in range(1, 13 if history else 1):
        orders_bulk_insert(count=history // 12, at=AT - timedelta(days=30 * month), open_share=0.0, seed=month + 1)
    timed(f"bulk insert {orders:,} open orders", lambda: orders_bulk_insert(count=orders, at=AT, open_share=1.0))
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--history", type=int, default=0, help="closed orders over the year before (default 0)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the database and the sheet in this folder")
    options = parser.parse_args()
    work = database_fill(orders=options.orders, keep=options.keep, history=options.history)

    from opsdesk.core.roles import system_user
    from opsdesk.reports.cod import cod_report, cod_workbook

    day, user = AT.date(), system_user()
    timed("COD sheet in memory (cod_workbook)", lambda: cod_workbook(day=day, user=user), repeat=options.repeat)
    seconds, report = timed("COD sheet to file (cod_report)", lambda: cod_report(day=day, out_dir=work, user=user),
                            repeat=options.repeat)
    print(f"sheet: {report.orders} orders, total {report.total_amount}, {len(report.warnings)} warnings")
    print(f"COD sheet {seconds:.3f} s  (goal < 1 s): {'OK' if seconds < 1 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
