"""Import benchmark (issues 3 and 11): a 100,000-line official-site XLSX export (50,000 orders × 2 lines).

Measures in one run, on the same file, each as a ratio to the bare parses measured in the same run (python-calamine's
`to_python()` and fastexcel's load into Arrow): `opsdesk import` as a subprocess (start-up included) into an empty
database, the re-import when nothing changed, a re-import with 1 % of the orders changed, its peak memory, and a
realistic day (a 7,000-line export: 2,500 new orders, 1,000 changed) against a store of 500,000 orders. With
`--postgres URL` it runs the same against a fresh PostgreSQL database too (created and dropped on that server).

    .venv/bin/python bench/import_bench.py [--orders 50000] [--keep DIR] [--store 500000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opsdesk.imports.samples import write_export  # noqa: E402

PROCESS = ["待发货", "配货中", "已发货", "已签收", "待审核"]
PAYMENT = ["平台收款", "货到付款", "微信支付", "支付宝"]
CITIES = [("浙江省", "杭州市", "西湖区"), ("广东省", "深圳市", "南山区"), ("上海市", "上海市", "浦东新区")]


def official_rows(orders: int) -> list[dict[str, str]]:
    """Made-up orders: two lines each, the order total repeated on both rows as the real export does."""
    start = datetime(2026, 11, 1, 8, 0, 0)
    rows: list[dict[str, str]] = []
    for n in range(orders):
        placed = start + timedelta(seconds=37 * n)
        province, city, district = CITIES[n % len(CITIES)]
        order = {
            "订单编号": f"GW{20261101000000 + n}", "下单时间": f"{placed:%Y-%m-%d %H:%M:%S}",
            "支付时间": f"{placed + timedelta(minutes=3):%Y-%m-%d %H:%M:%S}", "订单状态": "已付款",
            "订单处理状态": PROCESS[n % len(PROCESS)], "订单支付方式": PAYMENT[n % len(PAYMENT)],
            "收货人": "张女士", "手机": f"139{n % 100000000:08d}", "省份": province, "城市": city,
            "区县": district, "详细地址": f"示例路{n % 500}号", "订单金额": f"{(n % 300) + 60}.50",
            "买家留言": "请尽快发货" if n % 10 == 0 else "", "客户备注": "",
            "快递公司": "中通快递" if n % 3 else "", "快递单号": f"7530{n:08d}" if n % 3 else "",
        }
        for line in range(2):
            sku = f"SKU{(n * 2 + line) % 800:05d}"
            rows.append({**order, "商品编码": sku, "商品名称": f"示例药品{sku}", "规格": "10g*12袋",
                         "数量": str(1 + line), "单价": f"{30 + line}.25"})
    return rows


def _cpu() -> float:
    """CPU seconds of this process and its finished children (wall time lies on a loaded machine)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    started, cpu = time.perf_counter(), _cpu()
    fn()
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    print(f"{label:<28} {seconds:7.2f} s wall {cpu:7.2f} s cpu", flush=True)
    return seconds, cpu


def bare_parse(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def fastexcel_parse(path: Path) -> None:
    import fastexcel

    fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_arrow()


# `opsdesk import` in a process that reports its own peak memory on its last stderr line.
# (VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.)
MEASURED = ("import re, runpy, sys\n"
            "sys.argv = ['opsdesk', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('opsdesk.cli', run_name='__main__')\n"
            "finally:\n    status = open('/proc/self/status').read()\n"
            "    print('peak-kb', re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n")


def run_import(path: Path, env: dict[str, str]) -> dict[str, object]:
    """One `opsdesk import --json` process: its result, with its peak resident memory as "peak_mb"."""
    done = subprocess.run([sys.executable, "-c", MEASURED, "import", str(path), "--json"],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout)[0]
    result["peak_mb"] = int(done.stderr.split()[-1]) / 1024
    return result


def changed_rows(rows: list[dict[str, str]], every: int) -> list[dict[str, str]]:
    """The same export later: every `every`-th order has shipped (a step forward, so it is written)."""
    later = []
    for row in rows:
        n = int(row["订单编号"][2:]) - 20261101000000
        later.append({**row, "订单处理状态": "已发货", "快递单号": f"7531{n:08d}"} if n % every == 0 else row)
    return later


def day_rows(orders: int, store_orders: int) -> list[dict[str, str]]:
    """A day's export: 1,000 of the stored 官网 orders shipped since, and 2,500 new ones."""
    old = changed_rows(official_rows(min(orders, 1000)), 1)
    new = [{**row, "订单编号": f"GW{30261101000000 + n}"} for n, row in enumerate(official_rows(2500))]
    for index in range(0, len(new), 2):
        new[index + 1]["订单编号"] = new[index]["订单编号"] = f"GW{30261101000000 + index // 2}"
    return old + new


def store_fill(env: dict[str, str], count: int) -> None:
    code = ("import django, time; django.setup(); from opsdesk.demo.bulk import orders_bulk_insert; "
            "from opsdesk.lib.dates import now; "
            f"orders_bulk_insert(count={count}, at=now())")
    subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE":
                   "opsdesk.settings", "PYTHONPATH": str(ROOT)}, check=True)


def database(url: str | None, work: Path) -> dict[str, str]:
    """The environment of a fresh, initialised database: SQLite in `work`, or a new PostgreSQL database."""
    env = {**os.environ, "OPSDESK_DATA_DIR": str(work / "data")}
    (work / "data").mkdir(exist_ok=True)
    (work / "data" / "opsdesk.sqlite3").unlink(missing_ok=True)
    env.pop("OPSDESK_DATABASE_URL", None)
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS opsdesk_import_bench")
            admin.execute("CREATE DATABASE opsdesk_import_bench")
        env["OPSDESK_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/opsdesk_import_bench"
    subprocess.run([sys.executable, "-m", "opsdesk.cli", "init"], env=env, check=True, capture_output=True)
    return env


def measure(label: str, files: dict[str, Path], env: dict[str, str], parses: dict[str, tuple[float, float]],
            store: int) -> None:
    print(f"-- {label}")
    figures: dict[str, tuple[float, float]] = {}
    memory = 0.0
    for name in ("first", "no-change", "1%-changed"):
        holder: list[dict[str, object]] = []
        path = files[name]
        figures[name] = timed(f"opsdesk import ({name})", lambda: holder.append(run_import(path, env)))  # noqa: B023
        memory = memory or float(holder[0]["peak_mb"])  # type: ignore[arg-type]
        print(f"   {({key: holder[0][key] for key in ('status', 'rows', 'created', 'updated', 'peak_mb')})}")
    if store:
        timed(f"fill the store to {store:,} orders", lambda: store_fill(env, store - 50_000))
        figures["500k day"] = timed("opsdesk import (a day)", lambda: print(f"   {run_import(files['day'], env)}"))
    goals = {"first": "≤ 1.5× calamine, ≤ 1.3× fastexcel", "no-change": "≤ 1.3×", "1%-changed": "≤ 0.6×"}
    for name, (wall, cpu) in figures.items():
        ratios = "  ".join(f"{wall / parse[0]:5.2f}× {parser} ({cpu / parse[1]:.2f}× cpu)"
                           for parser, parse in parses.items())
        print(f"{label:<10} {name:<11} {wall:6.2f} s  {ratios}  (goal {goals.get(name, '≤ 0.5 s')})")
    print(f"{label:<10} peak memory of the first import {memory:.0f} MB (goal ≤ 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--store", type=int, default=0, help="also the day against a store this large (500000)")
    parser.add_argument("--postgres", help="also on this PostgreSQL server (postgres://user@host:port/db)")
    parser.add_argument("--keep", type=Path, help="keep the files and database in this folder")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="opsdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = official_rows(options.orders)
    files = {"first": work / "官网订单导出.xlsx", "no-change": work / "官网订单导出.xlsx",
             "1%-changed": work / "官网订单导出-晚.xlsx", "day": work / "官网订单导出-次日.xlsx"}
    for name, content in (("first", rows), ("1%-changed", changed_rows(rows, 100)),
                          ("day", day_rows(options.orders, options.store))):
        if not files[name].exists():
            write_export(path=files[name], source="official", rows=content, title="官网订单导出")
    load = f"{os.getloadavg()[0]:.2f}"
    parses = {"calamine": timed("calamine bare parse", lambda: bare_parse(files["first"])),
              "fastexcel": timed("fastexcel → Arrow parse", lambda: fastexcel_parse(files["first"]))}
    measure("SQLite", files, database(None, work), parses, options.store)
    if options.postgres:
        measure("PostgreSQL", files, database(options.postgres, work), parses, options.store)
    print(f"load average before/after: {load} / {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
