"""Checklist writes: the day's run (created on first look) and sign-offs (never deleted, the latest wins)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from opsdesk.checklist.forms import SignOffForm
from opsdesk.checklist.models import ChecklistItem, ChecklistRun, SignOff
from opsdesk.core.roles import permission_require
from opsdesk.lib import dates
from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import validated

# A sign-off of the same item by the same person with the same note within this long is the same one sent again.
SAME_SIGNOFF = timedelta(minutes=1)


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
    """Sign off one item of `day`'s run. A later sign-off of the same item supersedes the earlier one. A day still
    to come has nothing done to sign: refused (a sign-off made ahead would read as done on time)."""
    given = validated(SignOffForm, code=code, note=note)
    item = _item_by_code(given["code"])
    permission_require(user, item.sign_permission, doing=f"签核「{item.title}」")
    moment = dates.local(at or dates.now()).replace(microsecond=0)
    if day > moment.date():
        raise Refused(f"{day} 还没到, 不能签核 (今天是 {moment.date()})")
    with transaction.atomic():
        run = checklist_run_ensure(day=day)
        ChecklistRun.objects.select_for_update().filter(pk=run.pk).values_list("pk", flat=True).first()
        latest = run.signoffs.filter(item=item).order_by("-at", "-id").first()
        if latest and latest.user_id == user.pk and latest.note == given["note"] \
                and abs(moment - latest.at) < SAME_SIGNOFF:
            return latest  # the same sign-off sent twice (a double click, two tabs): one record
        return SignOff.objects.create(
            run=run, item=item, user=user, at=moment, note=given["note"]
        )
