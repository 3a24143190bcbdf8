"""Made-up 万里牛 trades and returns (example names only) for the local contract server."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opsdesk.lib.dates import SHANGHAI

APP_KEY = "3823532979"
SECRET = "ea5b29320cb3d15a9883c1fa4654bd02"


def ms(text: str) -> int:
    """`YYYY-MM-DD HH:MM[:SS]` Shanghai → epoch milliseconds (the API's `modify_time`)."""
    return int(datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp() * 1000)


def trade(number: int, *, modified: str = "2026-12-01 09:05", tp_tid: str | None = None, **extra: Any) -> dict[str, Any]:
    tid = tp_tid if tp_tid is not None else f"GW{number:010d}"
    values = {
        "uid": f"U{number}", "trade_no": f"XD{number:012d}", "tp_tid": tid, "shop_name": "上元堂官网",
        "source_platform": "官网", "status": 1, "process_status": 1, "is_exception_trade": False,
        "buyer_msg": "", "seller_msg": "", "logistic_name": "", "logistic_code": "", "express_code": "",
        "create_time": ms("2026-12-01 08:00"), "pay_time": ms("2026-12-01 08:01"), "modify_time": ms(modified),
        "trade_type": 0,
        "orders": [{"sku_code": "SKU-A", "item_name": "感冒灵颗粒", "sku_name": "10g*9袋", "size": 2,
                    "price": 25.5, "tp_tid": tid}],
    }
    return values | extra


def trades(count: int, *, start: int = 1, modified: str = "2026-12-01 09:05") -> list[dict[str, Any]]:
    return [trade(n, modified=modified) for n in range(start, start + count)]


def return_order(code: str, *, trade_no: str, tp_tid: str = "", modified: str = "2026-12-01 09:05",
                 **extra: Any) -> dict[str, Any]:
    values = {"bill_code": code, "type": 1, "status": 1, "trade_no": trade_no, "tp_tid": tp_tid,
              "remark": "退回", "create_time": ms("2026-12-01 08:30"), "modify_time": ms(modified)}
    return values | extra
