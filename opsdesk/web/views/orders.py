"""`/orders/` search and `/orders/<channel>/<order_no>/` one order, with its htmx actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from opsdesk.aftersales.models import CaseType
from opsdesk.aftersales.selectors import case_list
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel, ErpAftersale, ErpOrder, Order, OrderStatus, WmsRecord
from opsdesk.orders.selectors import order_list, payment_choices
from opsdesk.orders.services import order_phone_reveal
from opsdesk.rules.prescriptions import image_read
from opsdesk.rules.selectors import order_flags
from opsdesk.rules.services import order_ack as order_ack_service
from opsdesk.rules.services import rx_review, tcm_check
from opsdesk.web.cache import changed
from opsdesk.web.fragments import fragment
from opsdesk.web.loaders import load_order, moment, rule_titles
from opsdesk.web.pager import page_of
from opsdesk.web.responses import refused

EVENTS_SHOWN = 200
LINE_HISTORY_SHOWN = 200  # former lines, the latest replacements first


@login_required
def order_search(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "channel", "status", "payment")}
    orders = order_list(
        channel=filters["channel"] or None, status=filters["status"] or None, payment=filters["payment"] or None,
        search=filters["q"] or None,
    )
    page = page_of(orders, request.GET.get("page"))
    context = {"filters": filters, "page": page, "choices": _choices(request, filters)}
    return render(request, "web/orders.html", context)


def _choices(request: HttpRequest, filters: dict[str, str]) -> SafeString:
    """The channel and status selects, rendered once per choice made and list of channels (see fragments.py):
    they were a sixth of a search's time."""
    channels = tuple(Channel.objects.values_list("code", "name"))
    context = {"channels": channels, "statuses": OrderStatus.choices, "payments": payment_choices(),
               "filters": filters}
    key = ("order-choices", channels, filters["channel"], filters["status"], filters["payment"])
    return fragment(request, "web/orders.html#choices", context, key=key)


def order_context(request: HttpRequest, order: Order) -> dict[str, Any]:
    """Everything the order page and its `checks` partial show."""
    at = moment(request)
    flags = order_flags(order=order, at=at)
    return {
        "rules": rule_titles(),
        "order": order,
        "at": at,
        "flags": flags,
        "flag_codes": {flag.rule for flag in flags},
        "reviews": list(order.rx_reviews.select_related("reviewer")[:20]),
    }


@login_required
def order_page(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no)
    context = order_context(request, order)
    context.update(
        lines=list(order.lines.all()),
        line_history=list(order.line_history.all()[:LINE_HISTORY_SHOWN]),
        events=_events(order),
        erp=ErpOrder.objects.filter(erp_order_no=order.erp_order_no).first() if order.erp_order_no else None,
        wms=WmsRecord.objects.filter(order_no=order.order_no).first(),
        erp_aftersales=list(ErpAftersale.objects.filter(online_order_no=order.order_no)[:20]),
        **_cases(order),
    )
    return render(request, "web/order.html", context)


def _events(order: Order) -> list[Any]:
    return list(order.events.select_related("user")[:EVENTS_SHOWN])


def _with_events(request: HttpRequest, order: Order, html: str) -> HttpResponse:
    """`html` for its target, and the order's history out of band: what was just done shows there at once."""
    events = render_to_string("web/order.html#events", {"events": _events(order), "oob": True}, request)
    return HttpResponse(html + events)


def _cases(order: Order) -> dict[str, Any]:
    """The order's cases and the case types one may open."""
    return {"cases": list(case_list(order=order)), "case_types": list(CaseType.choices)}


@login_required
@require_POST
def order_phone(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="phone_reveal")
    phone = order_phone_reveal(order=order, user=request.user)
    html = render_to_string("web/order.html#phone", {"order": order, "phone": phone}, request)
    return _with_events(request, order, html)


def _checks(request: HttpRequest, order: Order, service: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """Run one rules service on the order and answer with the refreshed checks (or the page, without htmx)."""
    try:
        service(order=order, user=request.user, **kwargs)
    except Refused as exc:
        return refused(request, str(exc), fallback=_url(order))
    changed()
    if not getattr(request, "htmx", False):
        return redirect(_url(order))
    return _with_events(request, order, render_to_string("web/order.html#checks", order_context(request, order), request))


def _url(order: Order) -> str:
    return reverse("order", args=[order.channel.code, order.order_no])


@login_required
@require_POST
def order_ack(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="order_ack")
    return _checks(request, order, order_ack_service)


@login_required
@require_POST
def order_tcm_check(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="tcm_check")
    return _checks(request, order, tcm_check, note=request.POST.get("note", "").strip())


@login_required
@require_POST
def order_rx_review(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="rx_review")
    upload = request.FILES.get("image")
    return _checks(
        request, order, rx_review,
        decision=request.POST.get("decision", ""),
        prescription=request.POST.get("prescription", "").strip(),
        image=image_read(upload) if upload else None,
        note=request.POST.get("note", "").strip(),
    )
