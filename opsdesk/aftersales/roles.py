from __future__ import annotations

_VIEW = [
    "aftersales.view_case", "aftersales.view_caseevent", "aftersales.view_stockouttask",
    "aftersales.view_messagetemplate",
]

ROLE_PERMISSIONS = {
    "service": [*_VIEW, "aftersales.work_service_case"],
    "operator": [*_VIEW, "aftersales.work_operator_case", "aftersales.sign_stockout"],
    "pharmacist": _VIEW,
}
