"""Who may work which after-sales case: the permissions declared in `roles.py`, asked by every service that
touches a case (opening, moving, sending, screenshots, reissues) and by the desk's `may()`."""

from __future__ import annotations

from typing import Any

from opsdesk.aftersales.models import Case, CaseType
from opsdesk.core.roles import permission_has, permission_require

SERVICE_CASE_PERMISSION = "aftersales.work_service_case"
OPERATOR_CASE_PERMISSION = "aftersales.work_operator_case"
STOCKOUT_MARK_PERMISSION = "aftersales.add_stockouttask"
STOCKOUT_SIGN_PERMISSION = "aftersales.sign_stockout"
# Every person's role reads cases; a screenshot shows the buyer's name, phone and address, so it asks too.
VIEW_CASE_PERMISSION = "aftersales.view_case"
SERVICE_TYPES = (CaseType.RETURN_REFUND, CaseType.LOST_PARCEL, CaseType.DAMAGED, CaseType.INVOICE,
                 CaseType.COMPLAINT)


def case_permission(case_type: str) -> str:
    """Service (客服) works returns, claims, invoices and complaints; operators (运营) reissues and packing-list
    notes."""
    return SERVICE_CASE_PERMISSION if case_type in SERVICE_TYPES else OPERATOR_CASE_PERMISSION


def case_permission_require(*, user: Any, case_type: str) -> None:
    """Refused unless `user` is an active person whose role works cases of this type."""
    permission_require(user, case_permission(case_type), doing=f"处理{CaseType(case_type).label}售后")


def reissue_permission_require(*, user: Any, lost: Case) -> None:
    """Operators arrange reissues; service may arrange the one for a lost parcel they opened themselves."""
    theirs = lost.created_by_id is not None and lost.created_by_id == getattr(user, "pk", None)
    if not (theirs and permission_has(user, SERVICE_CASE_PERMISSION)):
        permission_require(user, OPERATOR_CASE_PERMISSION, doing=f"为售后单 #{lost.pk} 安排补发")
