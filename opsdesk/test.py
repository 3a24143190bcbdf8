"""Test helpers: a BaseTestCase with one user per role (healthchecks style)."""

from __future__ import annotations

import json
from functools import cache
from io import StringIO
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import TestCase

from opsdesk.core.roles import ROLES, roles_sync

PASSWORD = "correct-horse-42"


@cache
def password_hash() -> str:
    """PASSWORD as the real hasher stores it, hashed once per test process: PBKDF2's 1,500,000 rounds take 0.8 s
    on a 2-core machine, and every test class makes four users (hashing each had been half of the suite)."""
    return make_password(PASSWORD)


def user_make(*, role: str, username: str | None = None) -> User:
    roles_sync()
    user = User.objects.create(username=username or role, password=password_hash(), is_staff=role == "admin")
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


def tasks_run() -> int:
    """Run what the worker would, here and now: every ready task in the queue, in this thread and transaction
    (the worker's own loop closes connections between tasks, which a TestCase's transaction cannot survive)."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim("tests")
        result = row.task_result
        try:
            row.set_successful(row.task.call(*result.args, **result.kwargs))
        except Exception as exc:  # recorded as the worker records it
            row.set_failed(exc)
        ran += 1
    return ran


def command_json(name: str, *args: str) -> tuple[int, Any]:
    """`opsdesk NAME ARGS… --json` in-process: (exit code, its JSON). A command that reports a refusal in its
    JSON (an inbox file rejected, a reminder that failed to send) exits 1 through SystemExit, caught here."""
    out = StringIO()
    try:
        call_command(name, *args, "--json", stdout=out, stderr=StringIO())
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())
