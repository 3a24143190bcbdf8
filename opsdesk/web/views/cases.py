"""`/cases/` after-sales: the list, one case with its messages to copy and its e-mail to send, opening a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdesk.aftersales.models import CaseState, CaseType
from opsdesk.aftersales.reveal import case_contact_reveal
from opsdesk.aftersales.selectors import case_as_json, case_get
from opsdesk.aftersales.selectors import case_list as case_list_selector
from opsdesk.aftersales.services import case_advance as case_advance_service
from opsdesk.aftersales.services import case_open as case_open_service
from opsdesk.aftersales.services import case_reissue_open as case_reissue_open_service
from opsdesk.aftersales.services import case_reissue_sku_set, case_send_check
from opsdesk.aftersales.services import case_send_checked as case_send_checked_service
from opsdesk.aftersales.tasks import case_send as send_task
from opsdesk.lib.errors import Refused, Unknown
from opsdesk.web.access import may, require
from opsdesk.web.cache import changed
from opsdesk.web.loaders import load_order
from opsdesk.web.pager import page_of
from opsdesk.web.responses import refused

CASE_FIELDS = ("amount", "qty", "unit", "note", "title", "tax_id", "email", "deadline")


def load_case(case_id: int) -> Any:
    """The case (404 if unknown)."""
    try:
        return case_get(case_id=case_id)
    except Unknown as exc:
        raise Http404(str(exc)) from exc


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("type", "state")}
    try:
        cases = case_list_selector(type=filters["type"] or None, state=filters["state"] or None)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("cases")
    context = {
        "page": page_of(cases, request.GET.get("page")), "filters": filters,
        "types": CaseType.choices, "states": CaseState.choices,
    }
    return render(request, "web/cases.html", context)


def case_context(case: Any, *, user: Any = None) -> dict[str, Any]:
    """The page shows the receiver's phone and address masked; copying a message reveals them (logged)."""
    shown = case_as_json(case, reveal=False)
    state_labels = dict(CaseState.choices)
    return {
        "case": case, "shown": shown, "state_labels": state_labels,
        "next_states": [(state, state_labels.get(state, state)) for state in shown["next_states"]],
        "reveal_url": reverse("case_reveal", args=[case.pk]) if user and may(user, "phone_reveal") else "",
        # Something OpsDesk itself sends (a claim e-mail, a post by a group's robot); the rest is copied by hand.
        "sendable": bool(shown["email"]) or any(message["via"] == "dingtalk" for message in shown["messages"]),
    }


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "web/case.html", case_context(load_case(case_id), user=request.user))


@login_required
@require_POST
def case_reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """The messages and the e-mail body with the full phone and address, to swap in before copying."""
    require(request.user, "phone_reveal")
    load_case(case_id)
    shown = case_contact_reveal(case_id=case_id, user=request.user)
    return render(request, "web/case.html#revealed", {"shown": shown})


@login_required
@require_POST
def case_send(request: HttpRequest, case_id: int) -> HttpResponse:
    """Checks at once what would refuse the send, then queues it for the worker; the page polls the result."""
    fallback = reverse("case", args=[case_id])
    require(request.user, "case_work")
    user = cast(User, request.user)
    try:
        case_send_check(case_id=case_id, user=user)
    except Unknown as exc:
        raise Http404(str(exc)) from exc
    except Refused as exc:
        return refused(request, _("发送失败: %(reason)s") % {"reason": exc}, fallback=fallback, target="#send-result")
    result = send_task.enqueue(case_id, user.pk)
    if not getattr(request, "htmx", False):
        messages.info(request, _("已加入发送队列, 稍后刷新查看结果"))
        return redirect(fallback)
    return render(request, "web/case.html#sending", {"case": {"id": case_id}, "outcome": send_outcome(result)})


def send_outcome(result: Any) -> dict[str, Any]:
    """What the page shows of a queued send: still running (poll again), or its outcome."""
    done = {"id": result.id, "finished": result.is_finished, "status": result.status}
    if not result.is_finished:
        return done
    if result.status != TaskResultStatus.SUCCESSFUL:
        return {**done, "ok": False, "sent": [], "error": _("发送任务出错, 请查看日志后重试"), "unknown": True}
    return {**done, **result.return_value}


@login_required
def case_send_result(request: HttpRequest, case_id: int, result_id: str) -> HttpResponse:
    require(request.user, "case_work")
    try:
        result = send_task.get_result(result_id)
    except TaskResultDoesNotExist as exc:
        raise Http404(str(exc)) from exc
    if list(result.args[:1]) != [case_id]:
        raise Http404(result_id)
    outcome = send_outcome(result)
    if not outcome["finished"]:
        return render(request, "web/case.html#sending", {"case": {"id": case_id}, "outcome": outcome})
    if outcome["ok"]:
        changed()
    return render(request, "web/case.html#send_done", {**case_context(load_case(case_id), user=request.user), "outcome": outcome})


def case_change(request: HttpRequest, case_id: int, change: Callable[[User], Any]) -> HttpResponse:
    """A form on the case page: call the service, then to the case it returns (or the refusal shown here)."""
    fallback = reverse("case", args=[case_id])
    require(request.user, "case_work")
    try:
        result = change(cast(User, request.user))
    except Unknown as exc:
        raise Http404(str(exc)) from exc
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    return redirect("case", case_id=getattr(result, "pk", case_id))


@login_required
@require_POST
def case_send_checked(request: HttpRequest, case_id: int, send_id: int) -> HttpResponse:
    """A person says whether a send of unknown outcome arrived."""
    return case_change(request, case_id, lambda user: case_send_checked_service(
        case_id=case_id, send_id=send_id, delivered=request.POST.get("delivered") == "1", user=user,
        note=request.POST.get("note", ""),
    ))


@login_required
@require_POST
def case_reissue(request: HttpRequest, case_id: int) -> HttpResponse:
    """安排补发 on a lost parcel: the linked reissue case opens, and the desk goes to it."""
    return case_change(request, case_id, lambda user: case_reissue_open_service(case_id=case_id, user=user))


@login_required
@require_POST
def case_reissue_sku(request: HttpRequest, case_id: int) -> HttpResponse:
    return case_change(request, case_id, lambda user: case_reissue_sku_set(
        case_id=case_id, sku=request.POST.get("sku", ""), reissue_sku=request.POST.get("reissue_sku", ""), user=user,
    ))


@login_required
@require_POST
def case_advance(request: HttpRequest, case_id: int) -> HttpResponse:
    return case_change(request, case_id, lambda user: case_advance_service(
        case_id=case_id, to_state=request.POST.get("state", ""), user=user, note=request.POST.get("note", ""),
    ))


@login_required
@require_POST
def case_open(request: HttpRequest, channel: str, order_no: str) -> HttpResponse:
    order = load_order(request, channel, order_no, perm="case_work")
    fields = {name: request.POST.get(name, "").strip() for name in CASE_FIELDS}
    numbers: dict[str, Any] = {key: value or None for key, value in fields.items() if key in ("amount", "qty")}
    fallback = reverse("order", args=[channel, order_no])
    try:
        case = case_open_service(
            type=request.POST.get("type", ""), order_no=order.order_no, channel=order.channel.code,
            user=cast(User, request.user), **numbers,
            **{key: value for key, value in fields.items() if key not in ("amount", "qty")},
        )
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    return redirect("case", case_id=case.pk)
