"""万里牛 OPEN API pull benchmark (issue 10): 20,000 trades in 100 pages of 200 from the local contract server (its own
process, so its work is not this one's) into a 500,000-order SQLite store; trades per second, and the share of the
time spent waiting on the network against parsing and writing. Then the same pull again (nothing changed).

    .venv/bin/python bench/pull_bench.py [--orders 500000] [--trades 20000] [--keep DIR]

The trades join existing channel orders by tp_tid (a random sample of the store's orders), each with a courier and
tracking number, a third abnormal, notes on some, one line each; all modified within one hour (one window)."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cod_bench import AT, database_fill  # noqa: E402

APP_KEY, SECRET = "3823532979", "bench-secret-not-real"
START = AT - timedelta(hours=2)  # the window: START … START + 1 h


def trades_make(order_nos: list[str], *, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start_ms = int(START.timestamp() * 1000)
    trades = []
    for n, order_no in enumerate(order_nos):
        trades.append({
            "uid": f"U{n}", "trade_no": f"XDB{n:011d}", "tp_tid": order_no, "shop_name": "上元堂官网",
            "source_platform": "官网", "status": 3, "process_status": rng.choice([1, 2, 3]),
            "is_exception_trade": n % 3 == 0, "buyer_msg": "请尽快发货" if n % 10 == 0 else "",
            "seller_msg": "地址待确认" if n % 7 == 0 else "", "logistic_name": rng.choice(["中通快递", "申通快递"]),
            "logistic_code": "", "express_code": f"7530{n:010d}", "create_time": start_ms - 3_600_000,
            "pay_time": start_ms - 3_500_000, "modify_time": start_ms + rng.randrange(3_590_000),
            "trade_type": 1 if n % 5 == 0 else 0,
            "orders": [{"sku_code": "SKU00001", "item_name": "示例药品", "sku_name": "10g*12袋", "size": 1,
                        "price": 30.25, "tp_tid": order_no}],
        })
    return trades


def serve(path: Path) -> None:
    """The contract server in its own process: prints its URL, serves until stdin closes."""
    from opsdesk.hupun.contract import ContractServer

    with ContractServer(app_key=APP_KEY, secret=SECRET, trades=json.loads(path.read_text())) as server:
        print(server.url, flush=True)
        sys.stdin.read()


def server_start(trades_file: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(trades_file)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


STAGES: dict[str, float] = {}


def stage_timed(module: Any, name: str) -> None:
    """Wrap `module.name` so that its seconds add up in STAGES (the pull calls it through the module)."""
    original = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            STAGES[name] = STAGES.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, timed)


def pull_timed(label: str, client: Any) -> dict[str, Any]:
    from opsdesk.hupun.services import erp_pull

    client.waited = 0.0
    STAGES.clear()
    started = time.perf_counter()
    result = erp_pull(since=START, until=START + timedelta(hours=1), client=client)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"{label}: the pull failed: {result.errors}")
    network, table, write = client.waited, STAGES["records_table"], STAGES["_import_table"]
    print(f"{label:<28} {seconds:7.2f} s  {result.trades / seconds:8,.0f} trades/s  pages {result.pages}  "
          f"created {result.created}  updated {result.updated}", flush=True)
    parts = {"network (waiting on the server)": network, "trades → table": table,
             "validate + write (the import's)": write, "JSON, paging, records, cursor": seconds - network - table - write}
    for name, part in parts.items():
        print(f"{'':<4}{name:<36} {part:6.2f} s  {part / seconds:4.0%}", flush=True)
    return {"seconds": seconds, "network": network, "trades": result.trades}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=500_000)
    parser.add_argument("--trades", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve)
        return
    work = database_fill(orders=options.orders, keep=options.keep)

    from opsdesk.hupun import services
    from opsdesk.hupun.client import HupunClient
    from opsdesk.imports import services as imports

    stage_timed(services, "records_table")
    stage_timed(imports, "_import_table")
    from opsdesk.orders.models import ErpOrder, Order

    order_nos = list(Order.objects.order_by("?").values_list("order_no", flat=True)[:options.trades])
    trades_file = work / "trades.json"
    trades_file.write_text(json.dumps(trades_make(order_nos)))
    process, url = server_start(trades_file)
    try:
        client = HupunClient(base=url, app_key=APP_KEY, secret=SECRET)
        first = pull_timed(f"pull {options.trades:,} trades", client)
        pull_timed("the same pull again", client)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)
    joined = Order.objects.filter(erp_order_no__startswith="XDB").count()
    print(f"ERP orders {ErpOrder.objects.count():,}, channel orders joined {joined:,} of {first['trades']:,}")


if __name__ == "__main__":
    main()
