"""Checklist writes: the day's run (created on first look) and sign-offs (never deleted, the latest wins)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from opsdesk.checklist.forms import SignOffForm
from opsdesk.checklist.models import ChecklistItem, ChecklistRun, SignOff
from opsdesk.lib import dates
from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import validated

SIGN_PERMISSION = "checklist.add_signoff"


def checklist_run_ensure(*, day: date) -> ChecklistRun:
    """The run for `day`; looking twice (or two people at once) gives the same run."""
    run, _ = ChecklistRun.objects.get_or_create(day=day)
    return run


def _item_by_code(code: str) -> ChecklistItem:
    item = ChecklistItem.objects.filter(code=code.strip(), active=True).first()
    if item is None:
        valid = ", ".join(ChecklistItem.objects.filter(active=True).values_list("code", flat=True))
        raise Refused(f"没有检查事项 {code!r}。可用的事项代码: {valid}")
    return item


def checklist_sign(
    *, code: str, user: Any, day: date, note: str = "", at: datetime | None = None
) -> SignOff:
    """Sign off one item of `day`'s run. A later sign-off of the same item supersedes the earlier one."""
    if not getattr(user, "is_active", False):
        raise Refused(f"用户 {getattr(user, 'username', user)!r} 已停用")
    if not user.has_perm(SIGN_PERMISSION):
        raise Refused(f"用户 {user.username!r} 没有签核检查事项的权限 (运营、客服可以签核)")
    given = validated(SignOffForm, code=code, note=note)
    item = _item_by_code(given["code"])
    with transaction.atomic():
        run = checklist_run_ensure(day=day)
        return SignOff.objects.create(
            run=run, item=item, user=user, at=dates.local(at or dates.now()).replace(microsecond=0), note=given["note"]
        )
