"""Test helpers: a BaseTestCase with one user per role (healthchecks style)."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import TestCase

from opsdesk.core.roles import ROLES, roles_sync

PASSWORD = "correct-horse-42"


def user_make(*, role: str, username: str | None = None) -> User:
    roles_sync()
    user = User.objects.create_user(username=username or role, password=PASSWORD, is_staff=role == "admin")
    user.groups.add(Group.objects.get(name=role))
    return user


class BaseTestCase(TestCase):
    """`self.operator`, `self.service`, `self.pharmacist`, `self.admin`: one user per role."""

    operator: User
    service: User
    pharmacist: User
    admin: User

    @classmethod
    def setUpTestData(cls) -> None:
        for role in ROLES:
            setattr(cls, role, user_make(role=role))
