"""Work done at once on several threads, each with its own database connection (closed when it is done): what two
people, two workers or two processes do at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(work: Callable[[int], Any], *, count: int = 2) -> list[Any]:
    """work(0) … work(count - 1), each on its own thread: their results, or the exception each raised."""
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        try:
            results[n] = work(n)
        except Exception as exc:  # noqa: BLE001 - reported to the test, not lost in the thread
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results
