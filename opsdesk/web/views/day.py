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
    # The tiles sum the counts the checklist was built from: one read of the shared count for the whole page.
    context["tiles"] = queue_tiles(request, counts=context["counts"], counted_at=context["counted_at"],
                                   fresh=context["fresh"])
    return render(request, "web/day.html", context)
