"""The 万里牛 OPEN API client: signed form POSTs, paging, bounded retries of network failures.

A refusal by the API (`code` ≠ 0: a bad signature, an unknown app, a stale `_t`…) or an HTTP 4xx stops at once;
a network failure, a timeout, an HTTP 5xx or a garbled answer is retried with backoff a bounded number of times.
The timeout is also each request's deadline: an answer still coming in once it has passed since the request went out
(headers or a body sent a byte a second, which no per-read timeout ends) is abandoned and retried like a network
failure."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings

from opsdesk.lib.dates import local
from opsdesk.lib.errors import Refused
from opsdesk.lib.http import Deadline

log = logging.getLogger(__name__)

TRADES = "erp/opentrade/list/trades"
RETURNS = "erp/open/return/order/list"
LIMIT = 200  # the most the API hands out per page
MOMENT = "%Y-%m-%d %H:%M:%S"
# A window that pages on past this is a server that ignores `page`: stop rather than loop for ever.
MAX_PAGES = 5000


def sign(params: Mapping[str, str], *, secret: str) -> str:
    """`_sign`: upper-case hex MD5 of secret + sorted k=quote_plus(v) joined by & + secret (`_sign` left out)."""
    text = "&".join(f"{key}={quote_plus(str(params[key]))}" for key in sorted(params) if key != "_sign")
    return hashlib.md5(f"{secret}{text}{secret}".encode(), usedforsecurity=False).hexdigest().upper()


def moment(value: datetime) -> str:
    """The API's times: `YYYY-MM-DD HH:MM:SS`, Asia/Shanghai."""
    return local(value).strftime(MOMENT)


class Retryable(Exception):
    """A failure worth another attempt (network, timeout, HTTP 5xx, an answer that is not the API's JSON)."""


@dataclass
class HupunClient:
    base: str
    app_key: str
    secret: str
    timeout: float = 30
    attempts: int = 4
    backoff: float = 1.0  # seconds before the 2nd attempt; doubled each time
    clock: Callable[[], float] = time.time
    waited: float = field(default=0.0, init=False)  # seconds spent on requests, for the benchmark

    @classmethod
    def from_settings(cls) -> HupunClient:
        if not settings.HUPUN_ENABLED:
            raise Refused("万里牛 OPEN API 未配置: 请设置 OPSDESK_HUPUN_APP_KEY 和 OPSDESK_HUPUN_SECRET")
        return cls(base=settings.HUPUN_URL, app_key=settings.HUPUN_APP_KEY, secret=settings.HUPUN_SECRET,
                   timeout=settings.HUPUN_TIMEOUT)

    def pages(self, endpoint: str, *, start: datetime, end: datetime, limit: int = LIMIT) -> Iterator[list[Any]]:
        """Every page of records modified in [start, end); a page shorter than `limit` is the last."""
        window = {"modify_time": moment(start), "end_time": moment(end), "limit": str(limit)}
        for page in range(1, MAX_PAGES + 1):
            records = self.call(endpoint, {**window, "page": str(page)})
            yield records
            if len(records) < limit:
                return
        raise Refused(f"万里牛 OPEN API: {endpoint} 超过 {MAX_PAGES} 页仍未结束")

    def call(self, endpoint: str, params: Mapping[str, str]) -> list[Any]:
        """One signed request's `data`, retried on network failures."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._attempt(endpoint, params)
            except Retryable as exc:
                if attempt == self.attempts:
                    raise Refused(f"万里牛 OPEN API 无法访问 ({exc}), 已重试 {attempt} 次") from exc
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("hupun %s attempt %s failed (%s), retrying in %.1f s", endpoint, attempt, exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _attempt(self, endpoint: str, params: Mapping[str, str]) -> list[Any]:
        form = {**params, "_app": self.app_key, "_t": str(int(self.clock()))}
        form["_sign"] = sign(form, secret=self.secret)
        started = time.perf_counter()
        try:
            body = self._post(f"{self.base.rstrip('/')}/{endpoint}", urlencode(form).encode())
        finally:
            self.waited += time.perf_counter() - started
        return _data(endpoint, body)

    def _post(self, url: str, form: bytes) -> bytes:
        """The whole exchange — connect, status line, headers, body — against one deadline (lib.http)."""
        deadline = Deadline(self.timeout)
        request = urllib.request.Request(url, data=form, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        try:
            with deadline.open(request) as response:
                return response.read()  # type: ignore[no-any-return]
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                raise Retryable(f"HTTP {exc.code}") from exc
            raise Refused(f"万里牛 OPEN API 拒绝了请求 (HTTP {exc.code} {exc.reason})") from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if deadline.expired.is_set():
                raise Retryable(f"{self.timeout:g} 秒内未收完回答") from exc
            raise Retryable(str(getattr(exc, "reason", exc)) or type(exc).__name__) from exc


def _data(endpoint: str, body: bytes) -> list[Any]:
    """The answer's `data` when `code` is 0 (or "0"); any other `code` is the API refusing, with its message."""
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise Retryable("回答不是 JSON") from exc
    if not isinstance(answer, dict) or "code" not in answer:
        raise Retryable("回答缺少 code")
    # Some gateways send the code as text: "0" is the same success as 0 (False, or 0.0, is no code of the API's).
    if str(answer["code"]) != "0":
        raise Refused(f"万里牛 OPEN API 拒绝了请求 ({endpoint}): {answer.get('message') or '未说明原因'} "
                      f"(code {answer['code']})")
    data = answer.get("data") or []
    if not isinstance(data, list):
        raise Retryable("回答的 data 不是列表")
    return data
