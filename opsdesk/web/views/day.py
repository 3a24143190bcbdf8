"""`/` the day: the checklist with its deadlines and live counts, and the exception queues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opsdesk.lib.dates import local
from opsdesk.web.loaders import moment
from opsdesk.web.views.checklist import checklist_context, checklist_table
from opsdesk.web.views.exceptions import queue_tiles


@login_required
def day(request: HttpRequest) -> HttpResponse:
    at = moment(request)
    context = checklist_context(request, day=local(at).date(), at=at)
    context["table"] = checklist_table(request, context)
    context["tiles"] = queue_tiles(request, at=at)
    return render(request, "web/day.html", context)
