"""`/checklist/` the day's run (`?date=` shows a past day read-only) and the htmx sign-off of one item."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.checklist.contacts import CONTACT_LISTS
from opsdesk.checklist.selectors import checklist_day, checklist_signable, checklist_summary
from opsdesk.checklist.services import checklist_sign as checklist_sign_service
from opsdesk.lib.dates import local, parse_day
from opsdesk.lib.errors import Refused
from opsdesk.web.cache import changed, memo
from opsdesk.web.fragments import fragment
from opsdesk.web.freshness import desk_freshness, with_freshness
from opsdesk.web.loaders import live, live_counts, moment
from opsdesk.web.responses import refused


def checklist_context(request: HttpRequest, *, day: date, at: datetime) -> dict[str, Any]:
    """The run of `day` as seen at `at` (shared for a minute, see cache.py); only today's run can be signed.
    The run is kept per count it was built from, so that the page says when its numbers were counted."""
    counts, counted_at = live_counts(request, at=at)
    run, built_at = memo(
        f"checklist:{day.isoformat()}:{counted_at.isoformat()}", at=at,
        compute=lambda: checklist_day(day=day, at=at, counts=counts), shared=live(request),
    )
    fresh = desk_freshness(at=at, shared=live(request))
    run = {**run, "items": with_freshness(run["items"], fresh)}
    return {
        "checklist": run, "day": day, "at": at, "counts": counts, "counted_at": counted_at, "built_at": built_at,
        "fresh": fresh,
        # Only today's run is signed, each item by the roles its permission names (处方单审核: pharmacists).
        "editable": day == local(at).date(),
        "signable": checklist_signable(user=request.user, items=run["items"]),
        # Row links are built from these prefixes: reversing two URLs per row was a third of the page's time.
        "checklist_url": reverse("checklist"), "queues_url": reverse("queues"), "day_text": day.isoformat(),
        "labels": row_labels(), "contact_codes": tuple(CONTACT_LISTS),
    }


def checklist_table(request: HttpRequest, context: dict[str, Any]) -> SafeString:
    """The checklist's table, rendered once per count for everyone who may (or may not) sign (see fragments.py)."""
    key = (("checklist", context["day_text"], context["built_at"], context["editable"],
            tuple(sorted(context["signable"])), context["fresh"].key) if live(request) else None)
    return fragment(request, "web/_checklist.html#table", context, key=key)


def row_labels() -> dict[str, str]:
    """The rows' fixed words, translated once per page rather than once per row."""
    return {"all_day": _("全天"), "overdue": _("已超时"), "note": _("备注"), "sign": _("签核"), "unsigned": _("未签核"),
            "contacts": _("名单与文本"), "stale": _("数据过期"), "refreshed": _("数据更新于"), "never": _("从未导入")}


def signed_item(item: dict[str, Any], signoff: Any) -> dict[str, Any]:
    """The item's row after `signoff`, without recounting the whole checklist."""
    by = {"by": signoff.user.get_username(), "at": signoff.at, "note": signoff.note}
    return {**item, "signed_off": by, "overdue": False}


def _day(request: HttpRequest, at: datetime) -> date:
    """`?date=`: a malformed or far-off day is refused with its message (400, see web/middleware.py)."""
    return parse_day(request.GET.get("date") or request.POST.get("date"), default=local(at).date())


@login_required
def checklist(request: HttpRequest) -> HttpResponse:
    at = moment(request)
    context = checklist_context(request, day=_day(request, at), at=at)
    days = {"previous_day": context["day"] - timedelta(days=1), "next_day": context["day"] + timedelta(days=1)}
    extra = {"table": checklist_table(request, context), "at_param": request.GET.get("at", "")}
    return render(request, "web/checklist.html", {**context, **days, **extra})


@login_required
@require_POST
def checklist_sign(request: HttpRequest, code: str) -> HttpResponse:
    """Sign one item; the service refuses whoever the item's permission leaves out."""
    at = moment(request)
    day = _day(request, at)
    fallback = reverse("checklist")
    try:
        context = checklist_context(request, day=day, at=at)
        if code in {row["code"] for row in context["checklist"]["items"]} - context["signable"]:
            raise PermissionDenied(code)
        signoff = checklist_sign_service(code=code, user=request.user, day=day, note=request.POST.get("note", ""))
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    if not getattr(request, "htmx", False):
        return redirect(fallback)
    rows = [signed_item(row, signoff) if row["code"] == code else row for row in context["checklist"]["items"]]
    item = next(row for row in rows if row["code"] == code)
    # The row swaps in place; the heading's 已签核 n/m follows out of band.
    summary = {"checklist": {"summary": checklist_summary(rows)}, "oob": True}
    return HttpResponse(
        render_to_string("web/_checklist.html#item", {**context, "item": item}, request)
        + render_to_string("web/_checklist.html#summary", summary, request)
    )
