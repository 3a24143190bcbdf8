"""The rules' codes in the interface's order (menus and `opsdesk exceptions` list rules in it). Apart from the
registry: a model's choices need the codes at start-up, the registry's imports (the rules' models, after-sales
machine, returns) only a command that runs rules."""

from __future__ import annotations

CODES = (
    "ship_overdue", "ship_due_soon", "cutoff_missed", "not_allocated", "rx_review", "unpaid_rx", "buyer_note",
    "tcm_spec", "stock_short", "cod_courier", "erp_exception", "returned_unrefunded", "aftersales_pending",
    "logistics_stale", "cutoff_unshipped", "cutoff_due_today", "paid_to_push", "cod_to_push", "rx_wechat",
    "aftersale_expiring", "complaint_due",
)
