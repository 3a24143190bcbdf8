"""`/exceptions/` the queues with their counts, `/exceptions/<rule>/` the orders one rule flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from opsdesk.core.roles import permission_has
from opsdesk.lib.dates import local
from opsdesk.lib.errors import Refused
from opsdesk.lib.queries import record_id
from opsdesk.orders.facts import OrderFacts, order_facts
from opsdesk.orders.models import Channel
from opsdesk.orders.selectors import channel_check
from opsdesk.rules.batch import CLEARINGS, Cleared, flags_clear
from opsdesk.rules.registry import LOST_PARCEL_NOTE
from opsdesk.rules.selectors import RULES, Flag, rule_flags
from opsdesk.web.access import may
from opsdesk.web.cache import changed, memo
from opsdesk.web.fragments import fragment
from opsdesk.web.freshness import DeskFreshness, desk_freshness
from opsdesk.web.loaders import live, live_counts, moment, rule_titles
from opsdesk.web.pager import page_of
from opsdesk.web.queue_rows import queue_workbook, rule_facts
from opsdesk.web.responses import back, refused
from opsdesk.web.templatetags.desk import SEVERITY_LABELS
from opsdesk.web.views.reports import XLSX

PAGE_SIZE = 50


def queue_tiles(request: HttpRequest, *, counts: dict[str, dict[str, int]], counted_at: datetime,
                fresh: DeskFreshness) -> SafeString:
    """Every rule as a tile with its title, how many orders it flags (`live_counts`, the checklist's counts,
    summed over the channels) and how fresh the data behind that is, rendered once per count (see fragments.py)."""
    rows = [
        {"code": code, "title": title, "count": sum(counts.get(code, {}).values()), "fresh": fresh.of_rule(code)}
        for code, title in rule_titles().items()
    ]
    shared = live(request)
    # Only a staff member's look at another moment carries it on (and is never shared).
    context = {"queues": rows, "queues_url": reverse("queues"), "at_param": "" if shared else request.GET["at"],
               "labels": {"stale": gettext("数据过期"), "refreshed": gettext("数据更新于"), "never": gettext("从未导入")}}
    key = ("tiles", counted_at, fresh.key) if shared else None
    return fragment(request, "web/queues.html#tiles", context, key=key)


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    at = moment(request)
    counts, counted_at = live_counts(request, at=at)
    tiles = queue_tiles(request, counts=counts, counted_at=counted_at, fresh=desk_freshness(at=at, shared=live(request)))
    return render(request, "web/queues.html", {"tiles": tiles, "at": at})


class _FlagPage:
    """`rule_flags` pages sliced like a queryset, so that `page_of` can fetch one flag more than it shows. The
    page's order facts are read with it (two queries for the page) and shared with it (cache.memo)."""

    def __init__(self, request: HttpRequest, *, code: str, at: datetime, channel: str | None) -> None:
        self.request, self.code, self.at, self.channel = request, code, at, channel
        self.counted_at: datetime | None = None
        self.facts: dict[int, OrderFacts] = {}

    def __getitem__(self, span: slice) -> list[Any]:
        start = span.start or 0

        def compute() -> tuple[list[Flag], dict[int, OrderFacts]]:
            flags = rule_flags(code=self.code, at=self.at, channel=self.channel, offset=start, limit=span.stop - start)
            return flags, order_facts(order_ids=[flag.order_id for flag in flags if flag.order_id is not None])

        name = f"queue:{self.code}:{self.channel or ''}:{start}"
        (flags, self.facts), self.counted_at = memo(name, at=self.at, compute=compute, shared=live(self.request))
        return flags


@login_required
def queue(request: HttpRequest, rule: str) -> HttpResponse:
    at = moment(request)
    if rule not in RULES:
        raise Http404(rule)
    channel = _channel_param(request)
    flags = _FlagPage(request, code=rule, at=at, channel=channel)
    try:
        page = page_of(flags, request.GET.get("page"), size=PAGE_SIZE)
    except Refused as exc:
        raise Http404(str(exc)) from exc
    channels = _channels()
    actions = _actions(request, rule)
    rows = {
        "page": page, "channels": channels, "facts": flags.facts, "shown": set(rule_facts(rule)), **actions,
        # Built once per page: reversing a URL and translating a label per row were most of the page's time.
        "orders_url": reverse("orders"), "clear_url": reverse("queue_clear", args=[rule]),
        "severities": {code: str(label) for code, label in SEVERITY_LABELS.items()},
    }
    key = ("queue", rule, channel, page.number, flags.counted_at, *actions.values()) if live(request) else None
    context = {
        "code": rule, "title": rule_titles()[rule], "page": page, "at": at, "channel": channel, "channels": channels,
        "rows": fragment(request, "web/queue.html#rows", rows, key=key), **actions,
    }
    return render(request, "web/queue.html", context)


def _channel_param(request: HttpRequest) -> str | None:
    """The `channel` filter: a channel's code or none. Any other text is no such page; it also went into the shared
    caches' keys (one cache file per text anyone typed, and a warning with the text on the server's stderr)."""
    channel = request.GET.get("channel", "").strip() or None
    try:
        channel_check(channel)
    except Refused as exc:
        raise Http404(str(exc)) from exc
    return channel


def _channels() -> dict[str, str]:
    return {row.code: row.name for row in Channel.objects.all()}


def _actions(request: HttpRequest, rule: str) -> dict[str, Any]:
    """What the visitor may do in place on this queue's rows: clear them (with the button's label), open the
    prescription review (pharmacists), or register a stale parcel as lost (after-sales workers)."""
    clearing = CLEARINGS.get(rule)
    clear = clearing is not None and permission_has(request.user, clearing.permission)
    lost = rule == "logistics_stale" and may(request.user, "case_work")
    return {
        "clear_label": gettext(clearing.label) if clearing and clear else "",
        "review": rule == "rx_review" and may(request.user, "rx_review"),
        # 登记丢件: the lost-parcel case, its description prefilled from the flag.
        "lost_note": LOST_PARCEL_NOTE if lost else "",
    }


@login_required
@require_POST
def queue_clear(request: HttpRequest, rule: str) -> HttpResponse:
    """Clear the selected rows (or the one whose button was pressed), each through the single action's service."""
    fallback = reverse("queue", args=[rule])
    picked = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("orders")
    try:
        ids = [record_id(value) for value in picked]
        cleared = flags_clear(rule=rule, order_ids=ids, user=request.user)
    except ValueError:
        return refused(request, gettext("订单选择无效"), fallback=fallback, status=400)
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    if getattr(request, "htmx", False) and request.POST.get("one"):
        return _cleared_row(request, rule, cleared, fallback)
    if cleared.done:
        messages.success(request, gettext("已处理 %(count)d 单: %(orders)s") % {
            "count": len(cleared.done), "orders": "、".join(cleared.done)})
    for reason in cleared.refused:
        messages.error(request, reason)
    return back(request, fallback)


def _cleared_row(request: HttpRequest, rule: str, cleared: Cleared, fallback: str) -> HttpResponse:
    """One row's button (htmx): the row turns into what was done, in place; a refusal goes to the flash box."""
    if cleared.refused:
        return refused(request, cleared.refused[0], fallback=fallback)
    context = {"done": cleared.done, **_actions(request, rule)}
    return render(request, "web/queue.html#cleared", context)


@login_required
def queue_download(request: HttpRequest, rule: str) -> FileResponse:
    """The whole queue (every page) as XLSX, for those who work in Excel."""
    if rule not in RULES:
        raise Http404(rule)
    at, channel = moment(request), _channel_param(request)
    title = rule_titles()[rule]
    try:
        content = queue_workbook(rule=rule, title=title, at=at, channel=channel, channels=_channels())
    except Refused as exc:
        raise Http404(str(exc)) from exc
    filename = f"{title}-{rule}-{local(at).strftime('%Y%m%d-%H%M')}.xlsx"
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)
