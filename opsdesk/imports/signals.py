"""Signals the importer sends (after a committed import unless said otherwise), for other apps to react to (e.g. stock-out tasks)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a `stock` import commits. kwargs: restocked: list[str] (SKUs whose stock went from <= 0 to > 0),
# depleted: list[str] (SKUs whose stock went from > 0 or unknown to <= 0), user: User | None.
stock_changed = Signal()

# Sent after an `erp_aftersales` (万里牛 售后单) import commits with new or changed rows. kwargs: user.
erp_aftersales_imported = Signal()

# Sent inside an order import's transaction when existing orders' lines were rewritten (an order's lines are
# replaced whenever its row changed). kwargs: order_ids: list[int], user. The rules app re-checks approvals.
order_lines_replaced = Signal()

# Sent inside a `stock` import's transaction when products became Rx (new ones marked Rx included). kwargs:
# skus: list[str], user. The rules app re-checks the orders with lines of them.
products_became_rx = Signal()
