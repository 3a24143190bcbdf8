from __future__ import annotations

_VIEW = [
    "aftersales.view_case", "aftersales.view_caseevent", "aftersales.view_stockouttask",
    "aftersales.view_messagetemplate",
]

# Stock-out tasks are made by operators (opsdesk stockout SKU) and by stock imports (as whoever imported);
# signing one off is the operators'.
ROLE_PERMISSIONS = {
    "service": [*_VIEW, "aftersales.work_service_case"],
    "operator": [
        *_VIEW, "aftersales.work_operator_case", "aftersales.add_stockouttask", "aftersales.sign_stockout",
    ],
    "pharmacist": _VIEW,
    "system": ["aftersales.add_stockouttask"],
}

# Kept five years: no role may delete them, not even the admin role (opsdesk.core.roles.kept_deletes).
KEPT = ["aftersales.case", "aftersales.caseevent", "aftersales.casefile", "aftersales.sendrecord"]
