"""Users and the database."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from opsdesk.core.roles import ROLES, SYSTEM, system_user
from opsdesk.lib.errors import Refused


def user_add(*, username: str, role: str, password: str) -> AbstractUser:
    if role not in ROLES:
        raise Refused(f"未知角色 {role!r}: 可选 {', '.join(ROLES)}")
    if username == SYSTEM:
        raise Refused(f"用户名 {SYSTEM!r} 留给定时任务和后台进程使用")
    User = get_user_model()
    _username_check(User, username)
    if User.objects.filter(username=username).exists():
        raise Refused(f"用户 {username!r} 已存在")
    _password_check(password)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, is_staff=role == "admin")
        user.groups.add(Group.objects.get(name=role))
    return user


def _username_check(model: Any, username: str) -> None:
    """As the model's field takes it (its validators: letters, digits and @.+-_ only; its length): the admin's
    form refuses the same names."""
    try:
        model._meta.get_field(model.USERNAME_FIELD).clean(username, None)
    except ValidationError as exc:
        raise Refused(f"用户名 {username[:40]!r} 不可用: " + " ".join(exc.messages)) from exc


def _password_check(password: str, user: Any = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Refused("密码不符合要求: " + " ".join(exc.messages)) from exc


def person_by_name(*, username: str, doing: str) -> AbstractUser:
    """A person's account: the system account is refused, it is no person and never logs in."""
    if username == SYSTEM:
        raise Refused(f"用户 {SYSTEM!r} 是定时任务和后台进程的账号, 不能{doing}")
    return user_by_name(username=username)


def user_by_name(*, username: str) -> AbstractUser:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise Refused(f"没有用户 {username!r} (先用 opsdesk user add 创建)") from exc


def user_acting(*, username: str | None) -> Any:
    """Who a command acts as: the named user, or the system account when a cron job names nobody."""
    return user_by_name(username=username) if username else system_user()


def user_deactivate(*, username: str) -> AbstractUser:
    """The user can no longer log in or act; what they did stays theirs (nothing is deleted)."""
    user = person_by_name(username=username, doing="停用")
    if not user.is_active:
        raise Refused(f"用户 {username!r} 已经停用")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def user_activate(*, username: str) -> AbstractUser:
    """A deactivated person may work again (the system account is never a person)."""
    user = person_by_name(username=username, doing="作为用户启用")
    if user.is_active:
        raise Refused(f"用户 {username!r} 已经是启用的")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def user_password_set(*, username: str, password: str) -> AbstractUser:
    """A new password for a person; the system account keeps no usable password, so nobody logs in as it."""
    user = person_by_name(username=username, doing="设置密码或登录")
    _password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _role_order(name: str) -> int:
    order = list(ROLES)
    return order.index(name) if name in order else len(order)


def user_list() -> list[dict[str, Any]]:
    """Every person's account with roles and whether it is active (the system account is not a person)."""
    users = get_user_model().objects.exclude(username=SYSTEM).prefetch_related("groups").order_by("username")
    return [
        {
            "username": user.get_username(),
            "roles": sorted((group.name for group in user.groups.all()), key=_role_order),
            "active": user.is_active,
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        for user in users
    ]
