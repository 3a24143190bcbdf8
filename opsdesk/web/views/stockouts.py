"""`/stockouts/` the stock-out board: listings to take down (or put back up), each signed off when done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.lib.errors import Refused
from opsdesk.web.access import require
from opsdesk.web.cache import changed
from opsdesk.web.domain import Unavailable, domain
from opsdesk.web.responses import refused, unavailable


def _board() -> dict[str, object]:
    return {"tasks": domain("opsdesk.aftersales.selectors.stockout_board")()}


@login_required
def board(request: HttpRequest) -> HttpResponse:
    try:
        context = _board()
    except Unavailable as exc:
        return unavailable(request, exc)
    return render(request, "web/stockouts.html", context)


@login_required
@require_POST
def mark(request: HttpRequest) -> HttpResponse:
    require(request.user, "stockout")
    restore = request.POST.get("restore") == "1"
    try:
        tasks = domain("opsdesk.aftersales.services.stockout_mark")(
            sku=request.POST.get("sku", ""), restore=restore, user=request.user
        )
    except Unavailable as exc:
        return unavailable(request, exc, fallback=reverse("stockouts"))
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
        domain("opsdesk.aftersales.services.stockout_task_done")(
            task_id=task_id, user=request.user, note=request.POST.get("note", "")
        )
        context = _board()
    except Unavailable as exc:
        return unavailable(request, exc, fallback=reverse("stockouts"))
    except Refused as exc:
        return refused(request, str(exc), fallback=reverse("stockouts"))
    changed()
    if not getattr(request, "htmx", False):
        return redirect("stockouts")
    return render(request, "web/stockouts.html#board", context)
