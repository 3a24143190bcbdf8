"""The four roles are Django groups. Each opsdesk app may declare, in its own `roles.py`, a
``ROLE_PERMISSIONS = {"role": ["app_label.codename", ...]}``; `roles_sync` (run after every migrate)
gives each group exactly the union of what the apps declare."""

from __future__ import annotations

import importlib
from collections import defaultdict

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

ROLES = {"operator": "运营", "service": "客服", "pharmacist": "药师", "admin": "管理员"}

# The admin role configures everything through the Django admin.
ROLE_PERMISSIONS: dict[str, list[str]] = {"admin": ["*"]}


def declared_permissions() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = defaultdict(set)
    for config in apps.get_app_configs():
        if not config.name.startswith("opsdesk."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, codes in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].update(codes)
    return merged


def _permissions_for(codes: set[str]) -> list[Permission]:
    if "*" in codes:
        # Prescription review stays with pharmacists even for the admin role (药品网络销售监督管理办法).
        return list(Permission.objects.exclude(codename="review_prescription"))
    found: list[Permission] = []
    for code in sorted(codes):
        app_label, _, codename = code.partition(".")
        found.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    return found


def roles_sync() -> None:
    declared = declared_permissions()
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(declared.get(role, set())))


def user_roles(user: AbstractBaseUser | AnonymousUser | None) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr,attr-defined]


def user_has_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    return role in user_roles(user)
