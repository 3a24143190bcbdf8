from __future__ import annotations

_PEOPLE = ["orders.view_order", "orders.view_product", "orders.reveal_phone", "orders.view_channelaftersale"]

ROLE_PERMISSIONS = {
    "operator": [*_PEOPLE, "orders.change_listing", "orders.view_listing", "orders.export_cod_sheet"],
    "service": [*_PEOPLE, "orders.view_listing"],
    "pharmacist": _PEOPLE,
    # The daily COD sheet from cron.
    "system": ["orders.export_cod_sheet"],
}

# Kept five years: no role may delete them, not even the admin role (opsdesk.core.roles.kept_deletes).
KEPT = ["orders.order", "orders.orderline", "orders.orderlinehistory", "orders.orderevent", "orders.channelaftersale"]
