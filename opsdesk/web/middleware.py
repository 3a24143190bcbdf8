"""Response headers every desk page gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from opsdesk.lib.errors import Refused, Unknown

Handler = Callable[[HttpRequest], HttpResponse]


def no_store(get_response: Handler) -> Handler:
    """Pages show receivers' names, phones and addresses (PIPL): no browser or proxy keeps a copy. Static files
    never reach this (WhiteNoise answers them first) and keep their long caching."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware


class Refusals:
    """A refusal no view caught (a bad ?date=, a value a service's form refused) is the message with 400 (404
    for something unknown), in the page's flash box for htmx: never a 500."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refused):
            return None
        status = 404 if isinstance(exception, Unknown) else 400
        response = render(request, "web/refused.html", {"flash": str(exception)}, status=status)
        if getattr(request, "htmx", False):
            response = render(request, "web/base.html#flash", {"flash": str(exception)}, status=status)
            response["HX-Retarget"] = "#flash"
            response["HX-Reswap"] = "innerHTML"
        return response
