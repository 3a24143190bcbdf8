"""Short-lived shared copies of the expensive reads behind the day and queue pages.

On a big database the live counts take seconds (see bench/web_bench.py): every gunicorn worker shares one file
cache under DATA_DIR/cache, a result is reused for a minute, or five times as long as it took to compute (the page
says when it was counted), and while one request recounts the others get the last result instead of piling up on
the same query. Writes made through the desk start a new generation so that their effect shows on the next look."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.db.models import Max

from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import now

TTL_SECONDS = 60
# A result that took long to compute is reused longer: recounting never takes more than ~1/5 of the time.
COST_FACTOR = 5
LOCK_SECONDS = 600
WAIT_STEP = 0.25


def desk_cache() -> FileBasedCache:
    """One cache per database (parallel test runs share a data directory but not a database)."""
    return _cache_for(hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12])


@cache
def _cache_for(database: str) -> FileBasedCache:
    return FileBasedCache(str(Path(settings.DATA_DIR) / "cache" / "desk" / database), {"TIMEOUT": None})


def _written() -> int:
    return int(desk_cache().get("generation") or 0)


def generation() -> tuple[int, int]:
    """Writes through the desk move the first number; any import or pull moves the second, whichever process
    made it (the worker imports the inbox and the scheduled pulls), so that counts never outlive their data."""
    last_import = ImportRecord.objects.aggregate(last=Max("id"))["last"] or 0
    return _written(), last_import


def changed() -> None:
    """Something the pages show was written: the next look recounts."""
    desk_cache().set("generation", _written() + 1, timeout=None)


def _fresh(entry: Any, generation_now: tuple[int, int]) -> bool:
    if entry is None:
        return False
    _value, computed_at, seconds, made_in = entry
    age = (now() - computed_at).total_seconds()
    # A result from the future (the desk's clock was moved back, as a demo restart does) is not fresh.
    return made_in == generation_now and 0 <= age < max(TTL_SECONDS, COST_FACTOR * seconds)


def memo(name: str, *, at: datetime, compute: Callable[[], Any], shared: bool = True) -> tuple[Any, datetime]:
    """`compute()` for `name` with the moment it was computed, reused while fresh (see above).
    `shared=False` (a staff member's `?at=` look at another moment) computes afresh."""
    if not shared:
        return compute(), at
    store, current = desk_cache(), generation()
    entry = store.get(name)
    if _fresh(entry, current):
        return entry[0], entry[1]
    if not store.add(f"{name}:lock", 1, timeout=LOCK_SECONDS):
        return _last_or_wait(name, entry)
    try:
        started = time.perf_counter()
        value = compute()
        entry = (value, now(), time.perf_counter() - started, current)
        store.set(name, entry)
    finally:
        store.delete(f"{name}:lock")
    return entry[0], entry[1]


def _last_or_wait(name: str, entry: Any) -> tuple[Any, datetime]:
    """Someone else is counting: the last result if there is one, else wait for theirs (no pile-up)."""
    store = desk_cache()
    deadline = time.monotonic() + LOCK_SECONDS
    while entry is None and store.get(f"{name}:lock") and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = store.get(name)
    if entry is None:
        raise RuntimeError(f"{name}: counting did not finish")
    return entry[0], entry[1]
