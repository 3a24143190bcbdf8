"""The domain functions the desk calls, looked up when called: a missing one makes its page say
"not available" instead of failing the whole desk (or, worse, showing made-up data)."""

from __future__ import annotations

import importlib
from typing import Any


class Unavailable(Exception):
    """A domain function the page needs is not installed."""


def domain(dotted: str) -> Any:
    """`domain("opsdesk.rules.selectors.rule_counts")` → the function (or constant), else raise Unavailable."""
    module_name, _, name = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise Unavailable(dotted) from exc
    found = getattr(module, name, None)
    if found is None:
        raise Unavailable(dotted)
    return found
