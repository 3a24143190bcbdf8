"""The desk's sends run in the worker (`opsdesk worker`), so that a page never waits for SMTP or a robot."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.tasks import task

from opsdesk.aftersales import services
from opsdesk.lib.errors import OutcomeUnknown, Refused


@task()
def case_send(case_id: int, user_id: int) -> dict[str, Any]:
    """`services.case_send` for the desk's send button: the outcome as data for the page that polls it
    (ok, what was sent, or why not and whether a person must check)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return {"ok": False, "sent": [], "error": f"没有用户 #{user_id}", "unknown": False}
    try:
        sent = services.case_send(case_id=case_id, user=user)
    except OutcomeUnknown as exc:
        return {"ok": False, "sent": [], "error": str(exc), "unknown": True}
    except Refused as exc:
        return {"ok": False, "sent": [], "error": str(exc), "unknown": False}
    return {"ok": True, "sent": sent, "error": "", "unknown": False}
