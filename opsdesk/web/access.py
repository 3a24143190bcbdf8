"""Who may do what on the desk. Every page needs a login; these actions change things and are checked twice:
the templates hide what a role may not do and the views refuse it with 403."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from opsdesk.core.roles import user_roles

# An action is allowed by any of its entries: "app.codename" is a Django permission (the domain apps declare
# them in their roles.py), a bare word is a role.
ACTIONS: dict[str, tuple[str, ...]] = {
    "checklist_sign": ("checklist.add_signoff",),
    "order_ack": ("rules.add_acknowledgement",),
    "tcm_check": ("rules.add_tcmcheck",),
    # 药品网络销售监督管理办法: only a pharmacist reviews prescriptions, not even the admin role.
    "rx_review": ("pharmacist",),
    "phone_reveal": ("operator", "service", "pharmacist", "admin"),
    "case_work": ("aftersales.work_service_case", "aftersales.work_operator_case"),
    "import": ("operator", "admin"),
    "cod_report": ("operator", "admin"),
    "stockout": ("aftersales.sign_stockout",),
    "moment": ("admin",),
}

User = AbstractBaseUser | AnonymousUser


def user_role_set(user: User) -> set[str]:
    """The user's roles, looked up once per request (templates ask for every row)."""
    cached: set[str] | None = getattr(user, "_desk_roles", None)
    if cached is None:
        cached = user_roles(user) | ({"admin"} if getattr(user, "is_superuser", False) else set())
        user._desk_roles = cached  # type: ignore[union-attr]
    return cached


def may(user: User, action: str) -> bool:
    """Whether the user may do the action (unknown actions are never allowed)."""
    if not user.is_authenticated:
        return False
    if action == "moment" and getattr(user, "is_staff", False):
        return True
    roles = user_role_set(user)
    has_perm = user.has_perm  # type: ignore[union-attr,attr-defined]
    return any(("." in entry and has_perm(entry)) or entry in roles for entry in ACTIONS.get(action, ()))


def require(user: User, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied(action)

