"""Shared helpers of the rules tests: fixed moments in Shanghai time and "which orders does this rule flag"."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from typing import Any
from unittest import mock

from django.db import connections

from opsdesk.cli import main
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import Order
from opsdesk.rules.selectors import Flag, exceptions_evaluate, order_flags
from tests.concurrency import at_once
from tests.factories import OrderFactory, OrderLineFactory


def moment(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Shanghai time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


AT = moment(23, 9)  # Monday 2026-11-23 09:00, the fixed "now" of these tests


def flagged(code: str, at: datetime = AT) -> set[str]:
    return {flag.order_no for flag in exceptions_evaluate(at=at, rule=code)}


def rules_of(order: Order, at: datetime = AT) -> set[str]:
    return {flag.rule for flag in order_flags(order=order, at=at)}


def flag_of(code: str, order: Order, at: datetime = AT) -> Flag:
    [flag] = [flag for flag in order_flags(order=order, at=at) if flag.rule == code]
    return flag


def message_of(code: str, order: Order, at: datetime = AT) -> str:
    return flag_of(code, order, at).message


def order_with_line(*, line: dict[str, Any] | None = None, **fields: Any) -> Order:
    order = OrderFactory(**fields)
    OrderLineFactory(order=order, line_no=1, **(line or {}))
    return order


def cli(*args: str) -> tuple[int, str, str]:
    """Run `opsdesk ARGS…` in-process through the real console-script path: (exit code, stdout, stderr).
    The command closes connections when it ends; inside a test transaction that must not happen."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with mock.patch.object(connections, "close_all"), redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), out.getvalue(), err.getvalue()


def race(approve: Callable[[int], Any]) -> list[Any]:
    """approve(0) and approve(1) in two threads at once, each held just before the review's write until both have
    passed the service's friendly look-up: only the database can refuse the second. Their results (or exceptions)."""
    from opsdesk.rules import services

    looked = threading.Barrier(2, timeout=30)
    write = services._review_write

    def held(**kwargs: Any) -> Any:
        looked.wait()
        return write(**kwargs)

    with mock.patch.object(services, "_review_write", held):
        return at_once(approve)
