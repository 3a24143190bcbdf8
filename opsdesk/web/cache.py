"""Short-lived shared copies of the expensive reads behind the day and queue pages.

On a big database the live counts take seconds (see bench/web_bench.py): every gunicorn worker shares one file
cache under DATA_DIR/cache, a result is reused for up to a minute (the page says when it was counted), and while
one request recounts the others get the last result instead of piling up on the same query. Writes made through
the desk start a new generation so that their effect shows on the next look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache

from opsdesk.lib.dates import local, now

TTL_SECONDS = 60
LOCK_SECONDS = 300


@cache
def desk_cache() -> FileBasedCache:
    return FileBasedCache(str(Path(settings.DATA_DIR) / "cache" / "desk"), {"TIMEOUT": TTL_SECONDS})


def generation() -> int:
    return int(desk_cache().get("generation") or 0)


def changed() -> None:
    """Something the pages show was written: the next look recounts."""
    store = desk_cache()
    store.set("generation", generation() + 1, timeout=None)


def memo(name: str, *, at: datetime, compute: Callable[[], Any], shared: bool = True) -> tuple[Any, datetime]:
    """`compute()` for `name` at `at`'s minute, with the moment it was computed (reused for a minute).
    `shared=False` (a staff member's `?at=` look at another moment) computes afresh."""
    if not shared:
        return compute(), now()
    store = desk_cache()
    fresh_key = f"{name}:{generation()}:{local(at):%Y%m%d%H%M}"
    last_key, lock_key = f"{name}:last", f"{name}:lock"
    hit = store.get(fresh_key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    if not store.add(lock_key, 1, timeout=LOCK_SECONDS):
        last = store.get(last_key)
        if last is not None:
            return last  # type: ignore[no-any-return]
    try:
        value = (compute(), now())
        store.set(fresh_key, value)
        store.set(last_key, value, timeout=LOCK_SECONDS)
    finally:
        store.delete(lock_key)
    return value
