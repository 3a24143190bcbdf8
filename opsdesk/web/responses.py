"""Refusals, shown the same way on every page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the page the form was on (a same-site Referer), else `fallback`."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}):
        return redirect(referer)
    return redirect(fallback)


def refused(
    request: HttpRequest, message: str, *, fallback: str, status: int = 409, target: str = "#flash"
) -> HttpResponse:
    """htmx: the message into the page's `target` box (409); a plain form: a message and back."""
    if getattr(request, "htmx", False):
        return flash(request, message, status=status, target=target)
    messages.error(request, message)
    return back(request, fallback)


def flash(request: HttpRequest, message: str, *, status: int, target: str = "#flash") -> HttpResponse:
    """For htmx: the message alone, swapped into the page's `target` box instead of the element that asked."""
    response = render(request, "web/base.html#flash", {"flash": message}, status=status)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    return response
