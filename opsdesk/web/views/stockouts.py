"""`/stockouts/` the stock-out board: listings to take down (or put back up), each signed off when done."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.aftersales.selectors import stockout_board
from opsdesk.aftersales.services import stockout_mark, stockout_task_done
from opsdesk.lib.errors import Refused
from opsdesk.web.access import require
from opsdesk.web.cache import changed
from opsdesk.web.responses import refused


def _board() -> dict[str, object]:
    return {"tasks": stockout_board()}


@login_required
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "web/stockouts.html", _board())


@login_required
@require_POST
def mark(request: HttpRequest) -> HttpResponse:
    require(request.user, "stockout_mark")
    restore = request.POST.get("restore") == "1"
    try:
        tasks = stockout_mark(sku=request.POST.get("sku", ""), restore=restore, user=cast(User, request.user))
    except Refused as exc:
        return refused(request, str(exc), fallback=reverse("stockouts"))
    changed()
    messages.success(request, _("已生成 %(count)d 个上下架任务。") % {"count": len(tasks)})
    return redirect("stockouts")


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    require(request.user, "stockout")
    try:
        stockout_task_done(task_id=task_id, user=cast(User, request.user), note=request.POST.get("note", ""))
        context = _board()
    except Refused as exc:
        return refused(request, str(exc), fallback=reverse("stockouts"))
    changed()
    if not getattr(request, "htmx", False):
        return redirect("stockouts")
    return render(request, "web/stockouts.html#board", context)
