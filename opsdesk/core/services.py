"""Users and the database."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from opsdesk.core.roles import ROLES
from opsdesk.lib.errors import Refused


def user_add(*, username: str, role: str, password: str) -> AbstractUser:
    if role not in ROLES:
        raise Refused(f"未知角色 {role!r}: 可选 {', '.join(ROLES)}")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Refused(f"用户 {username!r} 已存在")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise Refused("密码不符合要求: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, is_staff=role == "admin")
        user.groups.add(Group.objects.get(name=role))
    return user


def user_by_name(*, username: str) -> AbstractUser:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise Refused(f"没有用户 {username!r} (先用 opsdesk user add 创建)") from exc
