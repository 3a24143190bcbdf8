"""`/checklist/<code>/contacts/` a contact step's list of orders with the texts to send, and the one logged action
that shows every phone of the list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opsdesk.checklist.contacts import contact_list_get, contact_phones_reveal, contact_rows, contact_warnings
from opsdesk.lib.errors import Refused
from opsdesk.web.access import require
from opsdesk.web.cache import changed
from opsdesk.web.loaders import moment
from opsdesk.web.responses import refused


def _page(request: HttpRequest, code: str, rows: list, *, revealed: bool) -> HttpResponse:
    contacts = contact_list_get(code)
    context = {
        "contacts": contacts, "rows": rows, "revealed": revealed, "at": moment(request),
        "warnings": contact_warnings(code=code),
    }
    return render(request, "web/contacts.html", context)


@login_required
def contact_list(request: HttpRequest, code: str) -> HttpResponse:
    try:
        rows = contact_rows(code=code, at=moment(request))
    except Refused as exc:
        raise Http404(str(exc)) from exc
    return _page(request, code, rows, revealed=False)


@login_required
@require_POST
def contact_phones(request: HttpRequest, code: str) -> HttpResponse:
    """The same list with the full phones: rendered in the answer, never put in a URL."""
    require(request.user, "phone_reveal")
    try:
        rows = contact_phones_reveal(code=code, at=moment(request), user=request.user)
    except Refused as exc:
        return refused(request, str(exc), fallback=reverse("contacts", args=[code]))
    changed()
    return _page(request, code, rows, revealed=True)
