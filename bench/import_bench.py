"""Import benchmark (issue 3): a 100,000-line official-site XLSX export (50,000 orders × 2 lines).

Measures in one run, on the same file: python-calamine's bare parse, `opsdesk import` as a subprocess (start-up
included) into an empty SQLite database, and the re-import when nothing changed.

    .venv/bin/python bench/import_bench.py [--orders 50000] [--keep DIR]
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


def run_import(path: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/opsdesk"), "import", str(path), "--json"],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout)[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="keep the file and database in this folder")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="opsdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "官网订单导出.xlsx"
    if not path.exists():
        rows = official_rows(options.orders)
        timed(f"write {len(rows)} lines", lambda: write_export(path=path, source="official", rows=rows,
                                                              title="官网订单导出"))
    data_dir = work / "data"
    data_dir.mkdir(exist_ok=True)
    (data_dir / "opsdesk.sqlite3").unlink(missing_ok=True)
    env = {**os.environ, "OPSDESK_DATA_DIR": str(data_dir)}
    env.pop("OPSDESK_DATABASE_URL", None)
    subprocess.run([str(ROOT / ".venv/bin/opsdesk"), "init"], env=env, check=True, capture_output=True)
    load = f"{os.getloadavg()[0]:.2f}"
    parse = timed("calamine bare parse", lambda: bare_parse(path))
    results: list[dict[str, object]] = []
    first = timed("opsdesk import (empty db)", lambda: results.append(run_import(path, env)))
    again = timed("opsdesk import (no change)", lambda: results.append(run_import(path, env)))
    for result in results:
        print({key: result[key] for key in ("status", "rows", "created", "updated")})
    print(f"load average before/after: {load} / {os.getloadavg()[0]:.2f}")
    for kind, index in (("wall", 0), ("cpu", 1)):
        print(f"import / bare parse    {first[index] / parse[index]:5.2f}× {kind}  (goal ≤ 1.5×)")
        print(f"no-change / bare parse {again[index] / parse[index]:5.2f}× {kind}  (goal ≤ 1.3×)")


if __name__ == "__main__":
    main()
