"""Checklist benchmark (issue 4): 200,000 open orders in a fresh SQLite database, then the day's checklist with
live counts (every rule-bound item counted, channel items per channel), and the thirteen counts alone.

    .venv/bin/python bench/checklist_bench.py [--orders 200000] [--repeat 5] [--keep DIR]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cod_bench import AT, database_fill, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    options = parser.parse_args()
    database_fill(orders=options.orders, keep=options.keep)

    from opsdesk.checklist.selectors import checklist_day
    from opsdesk.rules.selectors import rule_counts

    timed("rule_counts (13 rules, one pass)", lambda: rule_counts(at=AT), repeat=options.repeat)
    seconds, payload = timed("checklist_day with live counts", lambda: checklist_day(day=AT.date(), at=AT),
                             repeat=options.repeat)
    counted = [item for item in payload["items"] if item["count"] is not None]
    print(f"checklist: {len(payload['items'])} items, {len(counted)} counted, "
          f"{payload['summary']['overdue']} overdue at {AT:%H:%M}")
    for item in counted:
        print(f"  {item['code']:<26} {item['count']:>7}")
    print(f"checklist {seconds:.3f} s")


if __name__ == "__main__":
    main()
