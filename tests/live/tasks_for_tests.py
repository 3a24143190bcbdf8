"""Task functions the worker tests schedule by their dotted paths."""

from __future__ import annotations

CALLS: list[dict] = []


def record(**kwargs: object) -> str:
    CALLS.append(kwargs)
    return "ok"


def explode(**kwargs: object) -> None:
    raise ConnectionError("对方没有应答")
