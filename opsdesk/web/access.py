"""Who may do what on the desk. Every page needs a login; these actions change things and are checked twice:
the templates hide what a role may not do and the views refuse it with 403. Each action is the permission its
service checks (opsdesk.core.roles.permission_require), so the desk refuses exactly whom the CLI refuses."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from opsdesk.aftersales import permissions as aftersales
from opsdesk.checklist.models import SIGN_PERMISSION
from opsdesk.core.roles import permission_has, user_roles
from opsdesk.imports.services import IMPORT_PERMISSION
from opsdesk.orders.services import REVEAL_PERMISSION
from opsdesk.reports.cod import COD_PERMISSION
from opsdesk.rules import services as rules

# An action is allowed by any of its permissions.
ACTIONS: dict[str, tuple[str, ...]] = {
    "checklist_sign": (SIGN_PERMISSION,),
    "order_ack": (rules.ACK_PERMISSION,),
    "tcm_check": (rules.TCM_PERMISSION,),
    "rx_review": (rules.REVIEW_PERMISSION,),
    "phone_reveal": (REVEAL_PERMISSION,),
    "case_work": (aftersales.SERVICE_CASE_PERMISSION, aftersales.OPERATOR_CASE_PERMISSION),
    "import": (IMPORT_PERMISSION,),
    "cod_report": (COD_PERMISSION,),
    "stockout": (aftersales.STOCKOUT_SIGN_PERMISSION,),
    "stockout_mark": (aftersales.STOCKOUT_MARK_PERMISSION,),
    "moment": ("rules.view_at_moment",),
}

User = AbstractBaseUser | AnonymousUser


def user_role_set(user: User) -> set[str]:
    """The user's roles, looked up once per request (the header shows them)."""
    cached: set[str] | None = getattr(user, "_desk_roles", None)
    if cached is None:
        cached = user_roles(user) | ({"admin"} if getattr(user, "is_superuser", False) else set())
        user._desk_roles = cached  # type: ignore[union-attr]
    return cached


def may(user: User, action: str) -> bool:
    """Whether the user may do the action (unknown actions are never allowed)."""
    return any(permission_has(user, code) for code in ACTIONS.get(action, ()))


def require(user: User, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied(action)
