"""`/exceptions/` the queues with their counts, `/exceptions/<rule>/` the orders one rule flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel
from opsdesk.rules.selectors import RULES, rule_flags
from opsdesk.web.cache import memo
from opsdesk.web.fragments import fragment
from opsdesk.web.loaders import live, live_counts, moment, rule_titles
from opsdesk.web.pager import page_of
from opsdesk.web.templatetags.desk import SEVERITY_LABELS

PAGE_SIZE = 50


def queue_tiles(request: HttpRequest, *, counts: dict[str, dict[str, int]], counted_at: datetime) -> SafeString:
    """Every rule as a tile with its title and how many orders it flags (`live_counts`, the checklist's counts,
    summed over the channels), rendered once per count (see fragments.py)."""
    rows = [
        {"code": code, "title": title, "count": sum(counts.get(code, {}).values())}
        for code, title in rule_titles().items()
    ]
    shared = live(request)
    # Only a staff member's look at another moment carries it on (and is never shared).
    context = {"queues": rows, "queues_url": reverse("queues"), "at_param": "" if shared else request.GET["at"]}
    return fragment(request, "web/queues.html#tiles", context, key=("tiles", counted_at) if shared else None)


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    at = moment(request)
    counts, counted_at = live_counts(request, at=at)
    tiles = queue_tiles(request, counts=counts, counted_at=counted_at)
    return render(request, "web/queues.html", {"tiles": tiles, "at": at})


class _FlagPage:
    """`rule_flags` pages sliced like a queryset, so that `page_of` can fetch one flag more than it shows."""

    def __init__(self, request: HttpRequest, *, code: str, at: datetime, channel: str | None) -> None:
        self.request, self.code, self.at, self.channel = request, code, at, channel
        self.counted_at: datetime | None = None

    def __getitem__(self, span: slice) -> list[Any]:
        start = span.start or 0

        def compute() -> list[Any]:
            return list(rule_flags(code=self.code, at=self.at, channel=self.channel, offset=start, limit=span.stop - start))

        name = f"queue:{self.code}:{self.channel or ''}:{start}"
        flags, self.counted_at = memo(name, at=self.at, compute=compute, shared=live(self.request))
        return flags  # type: ignore[no-any-return]


@login_required
def queue(request: HttpRequest, rule: str) -> HttpResponse:
    at = moment(request)
    channel = request.GET.get("channel", "").strip() or None
    if rule not in RULES:
        raise Http404(rule)
    flags = _FlagPage(request, code=rule, at=at, channel=channel)
    try:
        page = page_of(flags, request.GET.get("page"), size=PAGE_SIZE)
    except Refused as exc:
        raise Http404(str(exc)) from exc
    channels = {row.code: row.name for row in Channel.objects.all()}
    rows = {
        "page": page, "channels": channels,
        # Built once per page: reversing a URL and translating a label per row were most of the page's time.
        "orders_url": reverse("orders"), "severities": {code: str(label) for code, label in SEVERITY_LABELS.items()},
    }
    key = ("queue", rule, channel, page.number, flags.counted_at) if live(request) else None
    context = {
        "code": rule, "title": rule_titles()[rule], "page": page, "at": at, "channel": channel, "channels": channels,
        "rows": fragment(request, "web/queue.html#rows", rows, key=key),
    }
    return render(request, "web/queue.html", context)
