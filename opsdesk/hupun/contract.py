"""A local 万里牛 OPEN API written from its public contract, for the tests and the benchmark: a real threaded HTTP
server that checks what the gateway checks (signature, app key, a fresh `_t`, `limit` ≤ 200), pages through the
records it was given by their `modify_time` window, and can be told to fail.

    with ContractServer(app_key="3823532979", secret="…", trades=[…]) as server:
        client = HupunClient(base=server.url, app_key=…, secret=…)
        server.fail("drop", page=2)   # drop the connection on page 2 (and every later request) until recover()

Besides failing outright it can answer as some gateways do: `code` as the text "0" (`text_code`), or the body a
byte every `delay` seconds (`drip`: a per-read timeout never fires on it; `drip_head`: the status line and headers
so), or records that are none after a page's
own (`junk`: "oops" and null).
"""

from __future__ import annotations

import json
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from opsdesk.hupun.client import LIMIT, MOMENT, RETURNS, TRADES, sign
from opsdesk.lib.dates import SHANGHAI

MAX_SKEW = 300  # seconds a `_t` may differ from the server's clock
FAILURES = ("code", "http500", "drop", "slow", "text_code", "drip", "drip_head", "junk")


@dataclass
class Failure:
    mode: str  # one of FAILURES
    page: int = 1  # first page it applies to
    times: int | None = None  # how many requests fail before the server recovers by itself (None: until told)
    delay: float = 2.0  # "slow": seconds before answering; "drip": between the body's bytes


@dataclass
class ContractState:
    app_key: str
    secret: str
    records: dict[str, list[dict[str, Any]]]
    failure: Failure | None = None
    requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def stamp(text: str) -> int:
    """`YYYY-MM-DD HH:MM:SS` (Shanghai) → milliseconds since the epoch, the unit of `modify_time` in records."""
    return int(datetime.strptime(text, MOMENT).replace(tzinfo=SHANGHAI).timestamp() * 1000)


class ContractServer:
    def __init__(
        self, *, app_key: str, secret: str, trades: list[dict[str, Any]] | None = None,
        returns: list[dict[str, Any]] | None = None,
    ) -> None:
        self.state = ContractState(app_key=app_key, secret=secret,
                                   records={TRADES: _ordered(trades), RETURNS: _ordered(returns)})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api"

    @property
    def requests(self) -> list[dict[str, str]]:
        return self.state.requests

    def __enter__(self) -> ContractServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def set_trades(self, trades: list[dict[str, Any]]) -> None:
        self.state.records[TRADES] = _ordered(trades)

    def set_returns(self, returns: list[dict[str, Any]]) -> None:
        self.state.records[RETURNS] = _ordered(returns)

    def fail(self, mode: str, *, page: int = 1, times: int | None = None, delay: float = 2.0) -> None:
        if mode not in FAILURES:
            raise ValueError(f"unknown failure {mode!r} (one of {', '.join(FAILURES)})")
        self.state.failure = Failure(mode=mode, page=page, times=times, delay=delay)

    def recover(self) -> None:
        self.state.failure = None


def _ordered(records: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return sorted(records or [], key=_modified)


def _handler(state: ContractState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
            """Quiet: the tests and the benchmark print what matters."""

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            endpoint = self.path.removeprefix("/api/").strip("/")
            with state.lock:
                state.requests.append({"endpoint": endpoint, **form})
                failure = _failing(state, form)
            if failure and failure.mode == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if failure and failure.mode == "http500":
                self._send(500, {"error": "internal error"})
                return
            if failure and failure.mode == "slow":
                time.sleep(failure.delay)
            if failure and failure.mode == "code":
                self._send(200, {"code": 500, "data": None, "message": "系统繁忙, 请稍后再试"})
                return
            answer = _answer(state, endpoint, form)
            if failure and failure.mode == "text_code" and answer["code"] == 0:
                answer["code"] = "0"
            if failure and failure.mode == "junk" and answer["code"] == 0:
                answer["data"] = [*answer["data"], "oops", None]
            mode = failure.mode if failure else ""
            self._send(200, answer, drip=failure.delay if failure and mode in ("drip", "drip_head") else 0,
                       head=mode == "drip_head")

        def _send(self, status: int, payload: dict[str, Any], *, drip: float = 0, head: bool = False) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            try:
                if head:  # the status line and headers a byte at a time, then the body at once
                    self._drip(f"HTTP/1.1 {status} OK\r\nContent-Length: {len(body)}\r\n\r\n".encode(), drip)
                    self.wfile.write(body)
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._drip(body, drip)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nothing to tell it

        def _drip(self, data: bytes, delay: float) -> None:
            """`data` at once, or (a delay) a byte every `delay` seconds."""
            if not delay:
                self.wfile.write(data)
                return
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(delay)

    return Handler


def _failing(state: ContractState, form: dict[str, str]) -> Failure | None:
    failure = state.failure
    if failure is None or int(form.get("page") or 0) < failure.page:
        return None
    if failure.times is not None:
        failure.times -= 1
        if failure.times <= 0:
            state.failure = None
    return failure


def _refusal(state: ContractState, endpoint: str, form: dict[str, str]) -> tuple[int, str] | None:
    if endpoint not in state.records:
        return 404, f"接口不存在: {endpoint}"
    if form.get("_app") != state.app_key:
        return 40001, "应用不存在或未授权 (_app)"
    if form.get("_sign") != sign(form, secret=state.secret):
        return 40002, "签名错误 (_sign)"
    if not form.get("_t", "").isdigit() or abs(int(form["_t"]) - time.time()) > MAX_SKEW:
        return 40003, "时间戳已过期 (_t)"
    if not form.get("page", "").isdigit() or int(form["page"]) < 1:
        return 40004, "page 应为从 1 开始的整数"
    if not form.get("limit", "").isdigit() or not 1 <= int(form["limit"]) <= LIMIT:
        return 40005, f"limit 应为 1 到 {LIMIT}"
    return None


def _answer(state: ContractState, endpoint: str, form: dict[str, str]) -> dict[str, Any]:
    refused = _refusal(state, endpoint, form)
    if refused:
        return {"code": refused[0], "data": None, "message": refused[1]}
    try:
        start = stamp(form["modify_time"])
        end = stamp(form["end_time"]) if form.get("end_time") else None
    except (KeyError, ValueError):
        return {"code": 40006, "data": None, "message": "modify_time/end_time 应为 YYYY-MM-DD HH:MM:SS"}
    records = state.records[endpoint]  # kept in modify_time order
    low = bisect_left(records, start, key=_modified)
    high = bisect_left(records, end, key=_modified) if end is not None else len(records)
    page, limit = int(form["page"]), int(form["limit"])
    first = low + (page - 1) * limit
    return {"code": 0, "data": records[first:min(first + limit, high)], "message": "success"}


def _modified(record: dict[str, Any]) -> int:
    return int(record["modify_time"])
