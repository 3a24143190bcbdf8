"""The worker's schedules and retries. A schedule's slot is handed to the queue once: the unique
(schedule, slot) row is claimed in the database, so several workers on PostgreSQL never run a slot twice. A job
that raises is retried with a growing delay a bounded number of times; its last outcome is kept on the schedule."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from opsdesk.lib import dates
from opsdesk.live.models import Schedule, ScheduleSlot

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 30
# A schedule that comes round sooner than its retries would is simply run again at its next slot.
RETRY_SCHEDULES_FROM_MINUTES = 5


def schedule_slot(*, schedule: Schedule, at: datetime) -> datetime | None:
    """The start of the slot `at` falls in, or None outside the schedule's window."""
    seen = dates.local(at)
    opens = dates.at_time(seen.date(), schedule.starts)
    closes = dates.at_time(seen.date(), schedule.ends) if schedule.ends else dates.day_end(seen.date())
    if not opens <= seen < closes:
        return None
    every = timedelta(minutes=max(schedule.every_minutes, 1))
    return opens + every * ((seen - opens) // every)


def _claim(schedule: Schedule, slot: datetime) -> bool:
    try:
        with transaction.atomic():
            ScheduleSlot.objects.create(schedule=schedule, slot=slot)
    except IntegrityError:
        return False
    return True


def schedules_tick(*, at: datetime) -> list[str]:
    """Enqueue every enabled schedule whose current slot nobody has enqueued yet; the codes enqueued."""
    from opsdesk.live.tasks import run_job

    started = []
    for schedule in Schedule.objects.filter(enabled=True):
        slot = schedule_slot(schedule=schedule, at=at)
        if slot is not None and _claim(schedule, slot):
            attempts = MAX_ATTEMPTS if schedule.every_minutes >= RETRY_SCHEDULES_FROM_MINUTES else 1
            run_job.enqueue(schedule.task, schedule.kwargs, schedule=schedule.code, attempts=attempts)
            started.append(schedule.code)
    return started


def job_call(path: str, kwargs: dict[str, Any]) -> Any:
    """Call the task function at `path` in this process (a Django Task's own function, or a plain one)."""
    target = import_string(path)
    return getattr(target, "func", target)(**kwargs)


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempt - 1))


def schedule_outcome(*, code: str, status: str, error: str = "") -> None:
    Schedule.objects.filter(code=code).update(last_status=status, last_error=error[:2000],
                                              last_finished_at=dates.now())
