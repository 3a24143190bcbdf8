from __future__ import annotations

_PEOPLE = ["orders.view_order", "orders.view_product", "orders.reveal_phone"]

ROLE_PERMISSIONS = {
    "operator": [*_PEOPLE, "orders.change_listing", "orders.view_listing", "orders.export_cod_sheet"],
    "service": [*_PEOPLE, "orders.view_listing"],
    "pharmacist": _PEOPLE,
    # The daily COD sheet from cron.
    "system": ["orders.export_cod_sheet"],
}
