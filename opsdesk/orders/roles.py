from __future__ import annotations

ROLE_PERMISSIONS = {
    "operator": ["orders.view_order", "orders.view_product", "orders.change_listing", "orders.view_listing"],
    "service": ["orders.view_order", "orders.view_product", "orders.view_listing"],
    "pharmacist": ["orders.view_order", "orders.view_product"],
}
