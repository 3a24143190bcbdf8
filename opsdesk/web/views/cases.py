"""`/cases/` after-sales: the list, one case with its messages to copy and its e-mail to send, opening a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.lib.errors import Refused
from opsdesk.web.access import require
from opsdesk.web.cache import changed
from opsdesk.web.domain import Unavailable, domain
from opsdesk.web.loaders import load_order
from opsdesk.web.pager import page_of
from opsdesk.web.responses import refused, unavailable

CASE_FIELDS = ("amount", "qty", "note", "title", "tax_id", "email")


def load_case(request: HttpRequest, case_id: int, *, perm: str | None = None) -> Any:
    """The case (404 if unknown); with `perm`, 403 unless the user may do that action."""
    if perm:
        require(request.user, perm)
    try:
        return domain("opsdesk.aftersales.selectors.case_get")(case_id=case_id)
    except Refused as exc:
        raise Http404(str(exc)) from exc


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("type", "state")}
    try:
        cases = domain("opsdesk.aftersales.selectors.case_list")(
            type=filters["type"] or None, state=filters["state"] or None
        )
        models = domain("opsdesk.aftersales.models.CaseType"), domain("opsdesk.aftersales.models.CaseState")
    except Unavailable as exc:
        return unavailable(request, exc)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("cases")
    context = {
        "page": page_of(cases, request.GET.get("page")), "filters": filters,
        "types": models[0].choices, "states": models[1].choices,
    }
    return render(request, "web/cases.html", context)


def case_context(case: Any) -> dict[str, Any]:
    shown = domain("opsdesk.aftersales.selectors.case_as_json")(case)
    state_labels = dict(domain("opsdesk.aftersales.models.CaseState").choices)
    return {
        "case": case, "shown": shown, "state_labels": state_labels,
        "next_states": [(state, state_labels.get(state, state)) for state in shown["next_states"]],
    }


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = load_case(request, case_id)
        context = case_context(case)
    except Unavailable as exc:
        return unavailable(request, exc)
    return render(request, "web/case.html", context)


@login_required
@require_POST
def case_send(request: HttpRequest, case_id: int) -> HttpResponse:
    fallback = reverse("case", args=[case_id])
    try:
        load_case(request, case_id, perm="case_work")
        sent = domain("opsdesk.aftersales.services.case_send")(case_id=case_id, user=request.user)
    except Unavailable as exc:
        return unavailable(request, exc, fallback=fallback)
    except Refused as exc:
        return refused(request, _("发送失败: %(reason)s") % {"reason": exc}, fallback=fallback, target="#send-result")
    changed()
    if not getattr(request, "htmx", False):
        messages.success(request, _("已发送: %(sent)s") % {"sent": ", ".join(sent) or "—"})
        return redirect(fallback)
    return render(request, "web/case.html#sent", {"sent": sent})


@login_required
@require_POST
def case_advance(request: HttpRequest, case_id: int) -> HttpResponse:
    fallback = reverse("case", args=[case_id])
    try:
        load_case(request, case_id, perm="case_work")
        domain("opsdesk.aftersales.services.case_advance")(
            case_id=case_id, to_state=request.POST.get("state", ""), user=request.user,
            note=request.POST.get("note", ""),
        )
    except Unavailable as exc:
        return unavailable(request, exc, fallback=fallback)
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    return redirect(fallback)


@login_required
@require_POST
def case_open(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="case_work")
    fields = {name: request.POST.get(name, "").strip() for name in CASE_FIELDS}
    fallback = reverse("order", args=[channel, order_no])
    try:
        case = domain("opsdesk.aftersales.services.case_open")(
            type=request.POST.get("type", ""), order_no=order.order_no, channel=order.channel.code,
            user=request.user, **{key: value or None for key, value in fields.items() if key in ("amount", "qty")},
            **{key: value for key, value in fields.items() if key not in ("amount", "qty")},
        )
    except Unavailable as exc:
        return unavailable(request, exc, fallback=fallback)
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    return redirect("case", case_id=case.pk)
