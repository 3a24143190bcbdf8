"""Import benchmark (issues 3 and 11): a 100,000-line official-site XLSX export (50,000 orders × 2 lines).

Measures in one run, on the same file, each as a ratio to the bare parses measured in the same run
(python-calamine's `to_python()` and fastexcel's load into Arrow, each a whole process like the import): `opsdesk
import` as a subprocess (start-up included) into an empty database, the re-import when nothing changed, a re-import
with 1 % of the orders changed, the first import's peak memory, and a realistic day (a 7,000-line export: 2,500 new
orders, 1,000 changed) against a store of 500,000 orders, by `opsdesk import` and by the worker's inbox
(inbox_process() timed inside a process that has started as the worker does, as a running worker takes a downloaded
file). Each figure is the median of `--runs` runs, each run starting from the same saved database (a copy of the
SQLite file; on PostgreSQL a database made from a template). With `--postgres [URL]` (default OPSDESK_DATABASE_URL)
it runs the same on PostgreSQL (databases created and dropped on that server, named after `--db-name`, its own per
user of a shared server; each PostgreSQL snapshot is vacuumed and analysed before it is saved). With `--keep DIR`
the files and the filled 500,000-order store are kept there and reused by the next run (the store only while the
migrations are the same).

    .venv/bin/python bench/import_bench.py [--orders 50000] [--runs 3] [--store 500000] [--postgres [URL]]
        [--no-sqlite] [--db-name NAME] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


# The bare parses, each as a whole process like the import (start-up included).
PARSES = {
    "calamine": "from python_calamine import CalamineWorkbook as W; import sys; "
                "W.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()",
    "fastexcel": "import fastexcel, sys; "
                 "fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=None, dtypes='string').to_arrow()",
}


def bare_parse(parser: str, path: Path) -> None:
    subprocess.run([sys.executable, "-c", PARSES[parser], str(path)], check=True)


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
    # An import that ends while its read ahead still runs (an unchanged file) leaves by os._exit, without the line.
    peak = re.search(r"^peak-kb (\d+)$", done.stderr, re.MULTILINE)
    result["peak_mb"] = int(peak.group(1)) / 1024 if peak else None
    return result


# The worker's inbox in a process that has started as the worker does (Django, then its readers preloaded): what
# a file dropped into the inbox costs a running worker.
INBOX = ("import json, os, shutil, sys, time\n"
         "import django\n"
         "django.setup()\n"
         "from opsdesk.imports.readers import readers_preload\n"
         "readers_preload()\n"
         "from opsdesk.live.inbox import inbox_dir, inbox_process\n"
         "dropped = shutil.copy(sys.argv[1], inbox_dir())\n"
         "os.utime(dropped, (time.time() - 3600, time.time() - 3600))  # a finished download, long settled\n"
         "wall, cpu = time.perf_counter(), time.process_time()\n"
         "[outcome] = inbox_process()\n"
         "wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
         "print(json.dumps({**outcome.result.as_json(), 'wall': wall, 'cpu': cpu}))\n")


def median_inbox(label: str, runs: int, before: Callable[[], None], path: Path,
                 env: dict[str, str]) -> tuple[float, float, dict[str, object]]:
    """The median wall and CPU seconds of the worker's inbox_process() on this file, after `before` each time."""
    walls, cpus = [], []
    for _ in range(runs):
        before()
        done = subprocess.run([sys.executable, "-c", INBOX, str(path)], capture_output=True, text=True, check=False,
                              env={**env, "DJANGO_SETTINGS_MODULE": "opsdesk.settings", "PYTHONPATH": str(ROOT)})
        if done.returncode != 0:
            raise SystemExit(f"inbox import failed ({done.returncode}): {done.stderr[-2000:]}")
        result = json.loads(done.stdout)
        print(f"{label:<28} {result['wall']:7.2f} s wall {result['cpu']:7.2f} s cpu", flush=True)
        walls.append(result["wall"])
        cpus.append(result["cpu"])
    return statistics.median(walls), statistics.median(cpus), result


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


def schema_key() -> str:
    """Names of every migration: a cached store is only reused by code with the same schema."""
    names = sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("opsdesk/*/migrations/0*.py"))
    return hashlib.md5("\n".join(names).encode(), usedforsecurity=False).hexdigest()[:8]


BENCH_DB = "opsdesk_import_bench"  # PostgreSQL: the bench's database, unless --db-name names another


class Database:
    """One benchmark database with named snapshots to start each run from: copies of the SQLite file, or
    PostgreSQL databases made from a template (`CREATE DATABASE … TEMPLATE`)."""

    def __init__(self, url: str | None, work: Path, *, name: str = BENCH_DB) -> None:
        self.url, self.work, self.data, self.name = url, work, work / "data", name
        self.data.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "OPSDESK_DATA_DIR": str(self.data)}
        self.env.pop("OPSDESK_DATABASE_URL", None)
        if url:
            self.env["OPSDESK_DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"

    @property
    def file(self) -> Path:
        return self.data / "opsdesk.sqlite3"

    def _admin(self, *statements: str) -> None:
        import psycopg

        assert self.url
        with psycopg.connect(self.url, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)  # type: ignore[arg-type]

    def snapshot_name(self, name: str) -> str:
        return f"{self.name}_{name}".replace("-", "_").lower()

    def has(self, name: str) -> bool:
        if not self.url:
            return (self.work / f"{name}.sqlite3").exists()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.snapshot_name(name)])
            return found.fetchone() is not None

    def save(self, name: str) -> None:
        if not self.url:
            shutil.copyfile(self.file, self.work / f"{name}.sqlite3")
            return
        self.vacuum()
        snapshot = self.snapshot_name(name)
        self._admin(f"DROP DATABASE IF EXISTS {snapshot}", f"CREATE DATABASE {snapshot} TEMPLATE {self.name}")

    def vacuum(self) -> None:
        """PostgreSQL: the snapshot with its planner statistics and visibility map made now, so that each run
        starts from the same plans instead of whatever autovacuum had reached when the snapshot was taken."""
        import psycopg

        with psycopg.connect(self.env["OPSDESK_DATABASE_URL"], autocommit=True) as bench:
            bench.execute("VACUUM ANALYZE")

    def restore(self, name: str) -> None:
        if not self.url:
            for suffix in ("-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.work / f"{name}.sqlite3", self.file)
            # The copy's dirty pages (500 MB for the big store) are written out now, not by the fsync of the
            # measured import's first checkpoint (0.2–1.0 s of the day's wall time on this machine).
            os.sync()
            return
        self._admin(f"DROP DATABASE IF EXISTS {self.name}", f"CREATE DATABASE {self.name} TEMPLATE "
                    f"{self.snapshot_name(name)}")

    def drop(self, *names: str) -> None:
        if self.url:
            self._admin(*(f"DROP DATABASE IF EXISTS {self.snapshot_name(name)}" for name in names),
                        f"DROP DATABASE IF EXISTS {self.name}")

    def init(self) -> None:
        """A fresh, initialised database saved as the snapshot "empty"."""
        if self.url:
            self._admin(f"DROP DATABASE IF EXISTS {self.name}", f"CREATE DATABASE {self.name}")
        else:
            self.file.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "opsdesk.cli", "init"], env=self.env, check=True, capture_output=True)
        self.save("empty")


GOALS = {"first": "≤ 1.5× calamine, ≤ 1.3× fastexcel", "no-change": "≤ 1.3×", "1%-changed": "≤ 0.6×",
         "500k day": "≤ 0.5 s", "500k day, inbox": "≤ 0.5 s"}


def median_timed(label: str, runs: int, before: Callable[[], None], fn: Callable[[], object]) -> tuple[float, float]:
    """The median wall and CPU seconds of `runs` runs of `fn`, each after `before` (untimed)."""
    walls, cpus = [], []
    for _ in range(runs):
        before()
        wall, cpu = timed(label, fn)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def measure(label: str, files: dict[str, Path], db: Database, parses: dict[str, tuple[float, float]],
            options: argparse.Namespace) -> None:
    print(f"-- {label}")
    db.init()
    figures: dict[str, tuple[float, float]] = {}
    results: dict[str, dict[str, object]] = {}

    def run(name: str) -> Callable[[], object]:
        return lambda: results.__setitem__(name, run_import(files[name], db.env))

    figures["first"] = median_timed("opsdesk import (first)", options.runs, lambda: db.restore("empty"),
                                    run("first"))
    db.save("first")
    figures["no-change"] = median_timed("opsdesk import (no-change)", options.runs, lambda: None, run("no-change"))
    figures["1%-changed"] = median_timed("opsdesk import (1%-changed)", options.runs, lambda: db.restore("first"),
                                         run("1%-changed"))
    for name in ("first", "no-change", "1%-changed"):
        print(f"   {name}: {({key: results[name][key] for key in ('status', 'rows', 'created', 'updated')})}")
    store = f"store{options.store}_{schema_key()}"
    if options.store:
        if not db.has(store):
            db.restore("first")
            timed(f"fill the store to {options.store:,} orders", lambda: store_fill(db.env, options.store - options.orders))
            db.save(store)
        figures["500k day"] = median_timed("opsdesk import (a day)", options.runs, lambda: db.restore(store),
                                           run("day"))
        print(f"   day: {({key: results['day'][key] for key in ('status', 'rows', 'created', 'updated')})}")
        wall, cpu, inboxed = median_inbox("worker inbox (a day)", options.runs, lambda: db.restore(store),
                                          files["day"], db.env)
        figures["500k day, inbox"] = wall, cpu
        print(f"   day in the inbox: {({key: inboxed[key] for key in ('status', 'rows', 'created', 'updated')})}")
    for name, (wall, cpu) in figures.items():
        ratios = "  ".join(f"{wall / parse[0]:5.2f}× {parser} ({cpu / parse[1]:.2f}× cpu)"
                           for parser, parse in parses.items())
        print(f"{label:<10} {name:<15} {wall:6.2f} s  {cpu:6.2f} s cpu  {ratios}  (goal {GOALS[name]})")
    print(f"{label:<10} peak memory of the first import {results['first']['peak_mb']:.0f} MB (goal ≤ 300 MB)")
    db.drop("empty", "first", *(() if options.keep else (store,)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--store", type=int, default=0, help="also the day against a store this large (500000)")
    parser.add_argument("--postgres", nargs="?", const=os.environ.get("OPSDESK_DATABASE_URL"),
                        help="also on this PostgreSQL server (default: OPSDESK_DATABASE_URL)")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--db-name", default=BENCH_DB,
                        help="PostgreSQL: the bench's database (its snapshots are NAME_…); one of its own per user of "
                             "a shared server")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; the median is reported")
    parser.add_argument("--keep", type=Path, help="keep files, databases and the filled store here (reused)")
    options = parser.parse_args()
    # The imports are measured as installed: with PYTHONDONTWRITEBYTECODE set (as on some CI machines) every process
    # would compile opsdesk's modules again, about 0.15 s of each start-up.
    compileall.compile_dir(ROOT / "opsdesk", quiet=1)
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
    parses = {name: median_timed(f"{name} bare parse", options.runs, lambda: None,
                                 lambda: bare_parse(name, files["first"]))  # noqa: B023
              for name in PARSES}
    print(f"bare parses (median of {options.runs}): " + ", ".join(f"{name} {wall:.2f} s ({cpu:.2f} s cpu)"
                                                                  for name, (wall, cpu) in parses.items()))
    if not options.no_sqlite:
        measure("SQLite", files, Database(None, work / "sqlite"), parses, options)
    if options.postgres:
        measure("PostgreSQL", files, Database(options.postgres, work / "postgres", name=options.db_name), parses, options)
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average before/after: {load} / {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
