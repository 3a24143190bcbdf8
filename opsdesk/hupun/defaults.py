"""The codes shipped with the pull (seeded by a data migration; an admin corrects or adds to them). The labels are
the texts of the ERP's own 订单/售后单 exports, so the pull and the file import store the same values."""

from __future__ import annotations

from typing import Any

DEFAULT_CODES: dict[str, dict[str, str]] = {
    "process_status": {"0": "待审核", "1": "已审核", "2": "配货中", "3": "已发货", "4": "已完成", "5": "已关闭",
                       "9": "异常"},
    "status": {"0": "待审核", "1": "已审核", "2": "配货中", "3": "已发货", "4": "已完成", "5": "已关闭", "9": "异常"},
    "trade_type": {"0": "普通", "1": "货到付款", "2": "售后订单"},
    "return_type": {"1": "退货", "2": "换货", "3": "补发", "4": "仅退款", "5": "其他"},
    "return_status": {"0": "待审核", "1": "已审核", "2": "已入库", "3": "已完成", "4": "已关闭"},
}


def codes_seed(code_model: Any) -> None:
    """Create the shipped codes that are missing; an admin's edits are kept."""
    for field, codes in DEFAULT_CODES.items():
        for code, label in codes.items():
            code_model.objects.get_or_create(field=field, code=code, defaults={"label": label})
