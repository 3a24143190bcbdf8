"""Benchmark of the exception rules: 200,000 open orders (plus lines, WMS records, after-sales, reviews) in a
fresh SQLite database, then the median time of

- all thirteen rules counted (`rule_counts`, what the day page and checklist show) — goal < 1 s;
- the full evaluation (`exceptions_evaluate`, every flag with its message) — reported;
- one rule's queue, first page of 50 with messages (`rule_flags(limit=50)`) — goal < 100 ms, for every rule.

Run: `.venv/bin/python bench/rules_bench.py [--orders N] [--runs R]`."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# A fresh database each run; OPSDESK_BENCH_DIR keeps one to re-measure (populated once).
os.environ["OPSDESK_DATA_DIR"] = os.environ.get("OPSDESK_BENCH_DIR") or tempfile.mkdtemp(prefix="opsdesk-rules-bench-")
os.environ.pop("OPSDESK_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from opsdesk.lib.dates import SHANGHAI  # noqa: E402
from opsdesk.orders.models import Channel, ErpAftersale, Order, OrderLine, Product, WmsRecord  # noqa: E402
from opsdesk.rules.models import Acknowledgement, RxReview  # noqa: E402
from opsdesk.rules.registry import note_hash  # noqa: E402
from opsdesk.rules.selectors import RULES, exceptions_evaluate, rule_counts, rule_flags  # noqa: E402

AT = datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)
PRODUCTS = 3000
rng = random.Random(20261123)


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Plain INSERTs through the cursor (every NOT NULL column filled from the field defaults)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    base = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    values = []
    for row in rows:
        merged = {**base, **row}
        # Each field's own conversion for the database: datetimes, and JSON (RxReview.lines) as text.
        values.append([f.get_db_prep_save(merged[f.attname], connection) for f in fields])
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)


def order_row(n: int, channels: Sequence[Channel]) -> dict[str, Any]:
    channel = channels[n % len(channels)]
    paid = AT - timedelta(minutes=rng.randint(0, 4 * 24 * 60))
    open_ = n % 5 != 0  # four in five are open: the 200,000 open orders plus a fifth finished
    sent = rng.random() < 0.6
    return {
        "channel_id": channel.pk, "order_no": f"{channel.code[:2].upper()}{n:012d}",
        "erp_order_no": f"XD{n:012d}" if sent else "",
        "status": ("allocating" if rng.random() < 0.3 else "awaiting_shipment") if open_ else "shipped",
        "payment": "cod" if rng.random() < 0.03 else "platform_paid",
        "placed_at": paid - timedelta(minutes=5), "paid_at": paid,
        "ship_by": paid + timedelta(hours=channel.ship_promise_hours or 48),
        "buyer_message": "请尽快发货" if rng.random() < 0.1 else "",
        "seller_note": "送货前电话联系" if rng.random() < 0.05 else "",
        "courier": rng.choice(["zto", "zto", "zto", "sto", ""]),
        "allocation": rng.choice(["complete"] * 17 + ["partial", "short", "none"]) if sent else "",
        "aftersales": "pending" if rng.random() < 0.01 else "",
        "erp_abnormal": rng.random() < 0.01, "has_rx": rng.random() < 0.15, "has_tcm": rng.random() < 0.05,
        "created_at": AT, "updated_at": AT,
    }


def populate(open_orders: int) -> None:
    channels = list(Channel.objects.all())
    total = open_orders * 5 // 4
    insert(Product, ({"sku": f"P{i:05d}", "name": f"商品{i}", "stock": rng.randint(0, 400), "updated_at": AT}
                     for i in range(PRODUCTS)))
    insert(Order, (order_row(n, channels) for n in range(total)))
    orders = list(Order.objects.values_list("pk", "order_no", "erp_order_no", "has_rx", "has_tcm",
                                            "buyer_message", "seller_note"))
    insert(OrderLine, (
        {"order_id": pk, "line_no": line, "sku": f"P{rng.randrange(PRODUCTS):05d}", "qty": rng.randint(1, 3),
         "rx": has_rx and line == 1, "tcm": has_tcm and line == 1, "name": "当归", "spec": "10g"}
        for pk, _, _, has_rx, has_tcm, _, _ in orders for line in range(1, rng.choice([1, 1, 2, 3]) + 1)
    ))
    insert(WmsRecord, ({"order_no": no, "erp_order_no": erp, "allocation": "complete", "updated_at": AT}
                       for _, no, erp, *_ in orders if erp))
    insert(ErpAftersale, ({"aftersale_no": f"SH{i:08d}", "online_order_no": orders[i * 97 % len(orders)][1],
                           "note": f"售后处理:新建售后单【SH{i:08d}】", "kind": "return", "updated_at": AT}
                          for i in range(2000)))
    user = User.objects.create_user("bench-pharmacist")
    insert(RxReview, ({"order_id": pk, "reviewer_id": user.pk, "at": AT, "decision": "approve"}
                      for pk, _, _, has_rx, *_ in orders if has_rx and pk % 2))
    insert(Acknowledgement, ({"order_id": pk, "user_id": user.pk, "at": AT, "text_hash": note_hash(bm, sn)}
                             for pk, _, _, _, _, bm, sn in orders if (bm or sn) and pk % 2))


def declared_indexes() -> list[str]:
    """Indexes the models declare that the migrations have not created yet (an orders migration may lag behind
    its models): created here so that the benchmark measures the declared schema. Returns their names."""
    added = []
    with connection.schema_editor() as editor, connection.cursor() as cursor:
        for model in (Order, OrderLine, RxReview, Acknowledgement):
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for index in model._meta.indexes:
                if index.name not in existing:
                    editor.add_index(model, index)
                    added.append(index.name)
    return added


def median_ms(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200_000, help="open orders")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, skip_checks=True)
    start = time.perf_counter()
    if not Order.objects.exists():
        with transaction.atomic():
            populate(args.orders)
    added = declared_indexes()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the steady state: pages in the database file
    if added:
        print(f"created declared indexes not yet in a migration: {', '.join(added)}")
    print(f"populated {Order.objects.count():,} orders ({args.orders:,} open), {OrderLine.objects.count():,} lines "
          f"in {time.perf_counter() - start:.1f} s — SQLite {connection.Database.sqlite_version}")
    report(args.runs)


def report(runs: int) -> None:
    ms, counts = median_ms(lambda: rule_counts(at=AT), runs)
    print(f"\nall thirteen rules, counts (rule_counts):   {ms:8.1f} ms  (goal < 1000 ms)")
    ms_eval, flags = median_ms(lambda: exceptions_evaluate(at=AT), max(1, runs // 2))
    print(f"all thirteen rules, full evaluate:          {ms_eval:8.1f} ms  ({len(flags):,} flags with messages)")
    print(f"\n{'rule':22} {'flagged':>9} {'queue of 50':>12}")
    worst = 0.0
    for code in RULES:
        ms_queue, page = median_ms(lambda code=code: rule_flags(code=code, at=AT, limit=50), runs)
        worst = max(worst, ms_queue)
        print(f"{code:22} {counts[code]:9,} {ms_queue:9.1f} ms  {page[0].message if page else ''}")
    print(f"\nslowest queue: {worst:.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
