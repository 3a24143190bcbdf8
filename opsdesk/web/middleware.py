"""Response headers every desk page gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from opsdesk.lib.errors import Refused, Unknown
from opsdesk.web.responses import flash

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
    for something unknown), in the page's flash box for htmx: never a 500. A request with a NUL anywhere in its
    path or parameters is refused so before its view runs."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is not None:
            return _refusal(request, Refused(f"{field} 含有空字符 (NUL), 请删去后再试"))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return _refusal(request, exception) if isinstance(exception, Refused) else None


def _nul_field(request: HttpRequest) -> str | None:
    """The path or the first parameter holding a NUL, refused before any view: PostgreSQL refuses a NUL in any text
    it is sent (a filter or a lookup by it answered 500 there; SQLite took it), and no one types one."""
    if "\x00" in request.path_info:
        return "网址"
    for params in (request.GET, request.POST):
        for name, values in params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return f"参数 {name!r}"
    return None


def _refusal(request: HttpRequest, exception: Refused) -> HttpResponse:
    status = 404 if isinstance(exception, Unknown) else 400
    if getattr(request, "htmx", False):
        return flash(request, str(exception), status=status)
    return render(request, "web/refused.html", {"flash": str(exception)}, status=status)
