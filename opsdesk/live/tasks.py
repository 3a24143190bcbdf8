"""The worker's tasks (Django Tasks, queued in the database by django-tasks-db)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task
from django.utils import timezone

from opsdesk.lib import dates
from opsdesk.lib.errors import Refused
from opsdesk.live import jobs
from opsdesk.live.inbox import inbox_process
from opsdesk.live.reminders import reminder_plan, reminders_send

log = logging.getLogger(__name__)


@task()
def run_job(path: str, kwargs: dict[str, Any], schedule: str = "", attempt: int = 1,
            attempts: int = jobs.MAX_ATTEMPTS) -> Any:
    """Run the task function at `path`; a failure is tried again later (`attempts` in all), then left failed,
    visible on the schedule and, for a schedule bound to a source, on the sources strip."""
    try:
        value = jobs.job_call(path, kwargs)
    except Exception as exc:
        text = str(exc) if isinstance(exc, Refused) else f"{type(exc).__name__}: {exc}"
        if schedule:
            jobs.schedule_outcome(code=schedule, status="failed", error=text)
        if attempt < attempts:
            # The queue compares with the real time (the demo's clock is moved: lib.dates.now).
            later = run_job.using(run_after=timezone.now() + jobs.backoff(attempt))
            later.enqueue(path, kwargs, schedule=schedule, attempt=attempt + 1, attempts=attempts)
        log.warning("job %s failed (attempt %s of %s): %s", path, attempt, attempts, text)
        raise
    if schedule:
        jobs.schedule_outcome(code=schedule, status="ok")
    return value


@task()
def inbox_watch() -> list[dict[str, Any]]:
    return [outcome.as_json() for outcome in inbox_process()]


@task()
def remind() -> list[dict[str, Any]]:
    """The scheduled pass: nothing to do while no group is configured (`opsdesk remind` says why)."""
    try:
        reminder_plan()
    except Refused:
        return []
    return reminders_send(at=dates.now())


@task()
def upload_import(upload_id: str) -> dict[str, Any]:
    from opsdesk.live.uploads import upload_run

    return upload_run(upload_id=upload_id)
