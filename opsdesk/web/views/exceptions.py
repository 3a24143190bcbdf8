"""`/exceptions/` the queues with their counts, `/exceptions/<rule>/` the orders one rule flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel
from opsdesk.rules.selectors import RULES, rule_counts, rule_flags
from opsdesk.web.cache import memo
from opsdesk.web.loaders import live, moment
from opsdesk.web.pager import page_of
from opsdesk.web.templatetags.desk import SEVERITY_LABELS

PAGE_SIZE = 50


def queue_rows(request: HttpRequest, *, at: datetime) -> list[dict[str, Any]]:
    """Every rule with its title and how many orders it flags at `at` (one `rule_counts` call, shared)."""
    counts, _counted_at = memo("rule_counts", at=at, compute=lambda: rule_counts(at=at), shared=live(request))
    return [{"code": code, "title": title, "count": counts.get(code, 0)} for code, title in RULES.items()]


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    at = moment(request)
    rows = queue_rows(request, at=at)
    context = {"queues": rows, "at": at, "at_param": request.GET.get("at", ""), "queues_url": reverse("queues")}
    return render(request, "web/queues.html", context)


class _FlagPage:
    """`rule_flags` pages sliced like a queryset, so that `page_of` can fetch one flag more than it shows."""

    def __init__(self, request: HttpRequest, *, code: str, at: datetime, channel: str | None) -> None:
        self.request, self.code, self.at, self.channel = request, code, at, channel

    def __getitem__(self, span: slice) -> list[Any]:
        start = span.start or 0

        def compute() -> list[Any]:
            return list(rule_flags(code=self.code, at=self.at, channel=self.channel, offset=start, limit=span.stop - start))

        name = f"queue:{self.code}:{self.channel or ''}:{start}"
        return memo(name, at=self.at, compute=compute, shared=live(self.request))[0]  # type: ignore[no-any-return]


@login_required
def queue(request: HttpRequest, rule: str) -> HttpResponse:
    at = moment(request)
    channel = request.GET.get("channel", "").strip() or None
    if rule not in RULES:
        raise Http404(rule)
    try:
        page = page_of(_FlagPage(request, code=rule, at=at, channel=channel), request.GET.get("page"), size=PAGE_SIZE)
    except Refused as exc:
        raise Http404(str(exc)) from exc
    context = {
        "code": rule, "title": RULES[rule], "page": page, "at": at, "channel": channel,
        "channels": {row.code: row.name for row in Channel.objects.all()},
        # Built once per page: reversing a URL and translating a label per row were most of the page's time.
        "orders_url": reverse("orders"), "severities": {code: str(label) for code, label in SEVERITY_LABELS.items()},
    }
    return render(request, "web/queue.html", context)
