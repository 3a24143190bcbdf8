"""HTTP requests bounded as a whole, for the peers OpsDesk calls itself (the 万里牛 OPEN API, DingTalk robots).

A socket's timeout bounds each read only: a peer (or a proxy) that sends its headers or its body a byte a second
would hold the caller — the worker's one thread — as long as it cares to. A Deadline shuts the request's sockets
when its time is up, which ends whatever read waits; the request still goes through urllib (its proxies from the
environment), with connections the deadline can reach. Redirects are never followed: urllib would repeat a POST as
a GET without its body, and the page it reached could answer as if the POST had been taken."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Unfollowed, a 3xx comes back as an HTTPError."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Deadline:
    """`seconds` for one request in all; `expired` says whether they ran out (then the read failed for that)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = threading.Event()
        self.sockets: list[socket.socket] = []  # kept from the connect on: urllib lets go once the headers are read

    @contextlib.contextmanager
    def open(self, request: urllib.request.Request) -> Iterator[http.client.HTTPResponse]:
        watchdog = threading.Timer(self.seconds, self._expire)
        watchdog.start()
        try:
            with self._opener().open(request, timeout=self.seconds) as response:
                yield response
        finally:
            watchdog.cancel()

    def _expire(self) -> None:
        self.expired.set()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _opener(self) -> urllib.request.OpenerDirector:
        http_kind, https_kind = self._watched(http.client.HTTPConnection), self._watched(http.client.HTTPSConnection)

        class Http(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(http_kind, req)

        class Https(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(https_kind, req, context=getattr(self, "_context", None))

        return urllib.request.build_opener(Http, Https, NoRedirect)

    def _watched(self, kind: type[http.client.HTTPConnection]) -> Any:
        sockets = self.sockets

        class Watched(kind):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                sockets.append(self.sock)

        return Watched
