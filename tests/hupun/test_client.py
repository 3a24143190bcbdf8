"""The signing vector and the client against the local contract server (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from opsdesk.hupun.client import TRADES, HupunClient, sign
from opsdesk.hupun.contract import ContractServer
from opsdesk.lib.dates import SHANGHAI
from opsdesk.lib.errors import Refused
from tests.hupun.helpers import APP_KEY, SECRET, trades

START, END = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI), datetime(2026, 12, 1, 9, 10, tzinfo=SHANGHAI)


def test_it_signs_the_documented_example() -> None:
    params = {
        "page": "1", "limit": "200", "bill_code": "OFL20221212164119384010001,OFL20221212155533384009005",
        "query_extend": '{"query_relation_trade":true,"encry_address":true}', "_app": "3823532979",
        "_t": "1672213377",
    }
    assert sign(params, secret="ea5b29320cb3d15a9883c1fa4654bd02") == "F5BB54ED438BE6780110A2E4A58FA0EF"
    assert sign({**params, "_sign": "ignored"}, secret="ea5b29320cb3d15a9883c1fa4654bd02") == (
        "F5BB54ED438BE6780110A2E4A58FA0EF")


def test_it_pages_until_a_short_page(server: ContractServer, client: HupunClient) -> None:
    server.set_trades(trades(450))
    pages = list(client.pages(TRADES, start=START, end=END))
    assert [len(page) for page in pages] == [200, 200, 50]
    assert [r["page"] for r in server.requests] == ["1", "2", "3"]
    assert {r["modify_time"] for r in server.requests} == {"2026-12-01 09:00:00"}
    assert {r["end_time"] for r in server.requests} == {"2026-12-01 09:10:00"}


def test_it_keeps_to_the_window(server: ContractServer, client: HupunClient) -> None:
    server.set_trades(trades(3, modified="2026-12-01 08:59:59") + trades(2, start=10, modified="2026-12-01 09:10"))
    assert list(client.pages(TRADES, start=START, end=END)) == [[]]


def test_it_retries_network_failures(server: ContractServer, client: HupunClient) -> None:
    server.set_trades(trades(5))
    server.fail("drop", times=1)
    assert len(next(client.pages(TRADES, start=START, end=END))) == 5
    server.fail("http500", times=2)
    assert len(next(client.pages(TRADES, start=START, end=END))) == 5
    server.fail("slow", times=1, delay=0.6)  # longer than the client's timeout
    assert len(next(client.pages(TRADES, start=START, end=END))) == 5
    assert len(server.requests) == 7


def test_its_timeout_is_a_deadline_for_the_whole_answer(server: ContractServer, client: HupunClient) -> None:
    """A body that trickles in a byte at a time never trips a per-read timeout; each attempt has 0.3 s in all."""
    server.set_trades(trades(5))
    server.fail("drip", times=1, delay=0.02)  # some 3,000 bytes: a minute at this pace
    started = time.monotonic()
    assert len(next(client.pages(TRADES, start=START, end=END))) == 5
    assert time.monotonic() - started < 2
    assert len(server.requests) == 2  # abandoned, then retried as a network failure is


def test_its_deadline_covers_the_status_line_and_headers(server: ContractServer, client: HupunClient) -> None:
    """Headers sent a byte at a time are read before any body: the deadline must end them too."""
    server.set_trades(trades(5))
    server.fail("drip_head", times=1, delay=0.05)  # some 40 bytes of headers: 2 s at this pace
    started = time.monotonic()
    assert len(next(client.pages(TRADES, start=START, end=END))) == 5
    assert time.monotonic() - started < 1.5
    assert len(server.requests) == 2


def test_it_gives_up_after_its_attempts(server: ContractServer, client: HupunClient) -> None:
    server.fail("slow", delay=0.6)
    with pytest.raises(Refused, match="无法访问.*已重试 3 次"):
        list(client.pages(TRADES, start=START, end=END))
    assert len(server.requests) == 3


def test_it_stops_at_once_on_a_refusal(server: ContractServer) -> None:
    wrong = HupunClient(base=server.url, app_key=APP_KEY, secret="not-the-secret", attempts=3, backoff=0.01)
    with pytest.raises(Refused, match="签名错误"):
        list(wrong.pages(TRADES, start=START, end=END))
    stranger = HupunClient(base=server.url, app_key="1", secret=SECRET, attempts=3, backoff=0.01)
    with pytest.raises(Refused, match="应用不存在"):
        list(stranger.pages(TRADES, start=START, end=END))
    assert len(server.requests) == 2


def test_the_server_refuses_a_stale_t_and_a_big_limit(server: ContractServer) -> None:
    stale = HupunClient(base=server.url, app_key=APP_KEY, secret=SECRET, clock=lambda: time.time() - 3600)
    with pytest.raises(Refused, match="时间戳已过期"):
        stale.call(TRADES, {"page": "1", "limit": "200", "modify_time": "2026-12-01 09:00:00"})
    fresh = HupunClient(base=server.url, app_key=APP_KEY, secret=SECRET)
    with pytest.raises(Refused, match="limit"):
        fresh.call(TRADES, {"page": "1", "limit": "201", "modify_time": "2026-12-01 09:00:00"})


def test_an_error_code_is_a_failure_with_its_message(server: ContractServer, client: HupunClient) -> None:
    server.fail("code")
    with pytest.raises(Refused, match="系统繁忙"):
        client.call(TRADES, {"page": "1", "limit": "200", "modify_time": "2026-12-01 09:00:00"})
    assert len(server.requests) == 1


def test_a_code_of_text_0_is_a_success(server: ContractServer, client: HupunClient) -> None:
    server.set_trades(trades(2))
    server.fail("text_code")
    assert len(next(client.pages(TRADES, start=START, end=END))) == 2
    assert len(server.requests) == 1
