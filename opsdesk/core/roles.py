"""The four roles are Django groups. Each opsdesk app may declare, in its own `roles.py`, a
``ROLE_PERMISSIONS = {"role": ["app_label.codename", ...]}``; `roles_sync` (run after every migrate)
gives each group exactly the union of what the apps declare.

Every action is one such permission, checked by the service that does it (`permission_require`), so the desk and
the CLI refuse the same people. An app may also declare ``EXCLUSIVE = ["app_label.codename"]``: a permission that
only the roles naming it hold — neither the admin role's ``"*"`` nor a superuser implies it.

The `system` account is who acts when nobody does: cron jobs and the worker (imports, the COD sheet). It is no role
a person can be given and it cannot log in (no usable password)."""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import Q

from opsdesk.lib.errors import Refused

ROLES = {"operator": "运营", "service": "客服", "pharmacist": "药师", "admin": "管理员"}
SYSTEM = "system"

# The admin role configures everything through the Django admin.
ROLE_PERMISSIONS: dict[str, list[str]] = {"admin": ["*"]}

UserLike = AbstractBaseUser | AnonymousUser | None


@cache
def _roles_modules() -> tuple[Any, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("opsdesk."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.roles"))
        except ModuleNotFoundError:
            continue
    return tuple(found)


def declared_permissions() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = defaultdict(set)
    for module in _roles_modules():
        for role, codes in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].update(codes)
    return merged


@cache
def exclusive_permissions() -> frozenset[str]:
    return frozenset({code for module in _roles_modules() for code in getattr(module, "EXCLUSIVE", ())})


@cache
def kept_models() -> frozenset[str]:
    """The records kept five years, as each app declares them (``KEPT = ["app_label.model"]``)."""
    return frozenset(label for module in _roles_modules() for label in getattr(module, "KEPT", ()))


@cache
def kept_deletes() -> frozenset[str]:
    """The delete permissions of the records kept five years: the admin role's ``"*"`` leaves them out; supersede
    instead."""
    return frozenset(f"{app}.delete_{model}" for app, _, model in (label.partition(".") for label in kept_models()))


def _split(code: str) -> Q:
    app_label, _, codename = code.partition(".")
    return Q(content_type__app_label=app_label, codename=codename)


def _permissions_for(codes: set[str]) -> list[Permission]:
    if "*" in codes:
        everything = Permission.objects.all()
        for code in exclusive_permissions() | kept_deletes():
            everything = everything.exclude(_split(code))
        return list(everything)
    found: list[Permission] = []
    for code in sorted(codes):
        found.extend(Permission.objects.filter(_split(code)))
    return found


def roles_sync() -> None:
    declared = declared_permissions()
    for role in [*ROLES, SYSTEM]:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(declared.get(role, set())))
    system_user()


def system_user() -> AbstractBaseUser:
    """The account of cron jobs and the worker (created on first use, in the `system` group)."""
    # Unusable from its first save: created blank, the guard below took it for a password set (a warning on init).
    user, created = get_user_model().objects.get_or_create(username=SYSTEM, defaults={"password": make_password(None)})
    if created:
        user.groups.add(Group.objects.get_or_create(name=SYSTEM)[0])
    return user


def system_account_guard(sender: Any, instance: Any, **_: Any) -> None:
    """pre_save of a user: whatever set it (the admin, Django's changepassword, a shell), the system account keeps
    an unusable password and no staff or superuser flag, so it can never log in."""
    if instance.get_username() != SYSTEM:
        return
    if instance.has_usable_password():
        logging.getLogger(__name__).warning("the system account cannot have a password: it was not set")
        instance.set_unusable_password()
    instance.is_staff = instance.is_superuser = False


def user_roles(user: UserLike) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr,attr-defined]


def roles_with(code: str) -> list[str]:
    """The roles (in ROLES order) that hold the permission `code`."""
    declared = declared_permissions()
    wildcard = code not in exclusive_permissions()
    return [role for role in ROLES if code in declared.get(role, ()) or (wildcard and "*" in declared.get(role, ()))]


def permission_has(user: UserLike, code: str) -> bool:
    """Whether an active user holds the permission (exclusive ones only through their own groups)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if code in exclusive_permissions():
        return code in _exclusive_held(user)
    return bool(user.has_perm(code))  # type: ignore[union-attr,attr-defined]


def _exclusive_held(user: Any) -> set[str]:
    """The exclusive permissions the user holds through the roles that declare them, looked up once per user object
    (like Django's own permission cache). Only a role confers one: the same permission given to the user directly,
    or added to another group in the admin, is not it (an admin could otherwise make himself a pharmacist)."""
    held: set[str] | None = getattr(user, "_exclusive_perm_cache", None)
    if held is None:
        declared = declared_permissions()
        held = {code for role in user_roles(user) for code in declared.get(role, ())} & exclusive_permissions()
        user._exclusive_perm_cache = held
    return held


def permission_require(user: UserLike, code: str, *, doing: str) -> None:
    """Refused unless `user` is an active user holding `code`; `doing` names the action in the message."""
    if user is None or not user.is_authenticated:
        raise Refused(f"请给出操作人 (--user): {doing}要记下是谁做的")
    name = user.get_username()
    if not user.is_active:
        raise Refused(f"用户 {name} 已停用, 不能{doing}")
    if not permission_has(user, code):
        who = "、".join(ROLES[role] for role in roles_with(code)) or "无人"
        raise Refused(f"用户 {name} 没有{doing}的权限: 只有{who}可以{doing}")
