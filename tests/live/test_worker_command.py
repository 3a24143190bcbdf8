"""`opsdesk worker`: schedules are data, each slot runs once whoever runs it, failures retry with backoff."""

from __future__ import annotations

import threading
from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from opsdesk.lib.dates import SHANGHAI, now
from opsdesk.live.jobs import MAX_ATTEMPTS, schedule_slot, schedules_tick
from opsdesk.live.models import Schedule, ScheduleSlot
from tests.live import tasks_for_tests

RECORD = "tests.live.tasks_for_tests.record"


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-23T{hhmm}").replace(tzinfo=SHANGHAI)


def only(task: str, **fields: object) -> Schedule:
    Schedule.objects.all().delete()
    defaults = {"title": "测试", "every_minutes": 10, "starts": time(8), "ends": time(20)}
    return Schedule.objects.create(code="test", task=task, **(defaults | fields))


def worker_once() -> str:
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def test_a_slot_is_the_window_start_plus_whole_intervals() -> None:
    schedule = Schedule(code="x", task=RECORD, every_minutes=10, starts=time(8), ends=time(20))
    assert schedule_slot(schedule=schedule, at=at("09:37")) == at("09:30")
    assert schedule_slot(schedule=schedule, at=at("07:59")) is None
    assert schedule_slot(schedule=schedule, at=at("20:00")) is None


# The worker closes stale connections between tasks, as a long-running process must: these tests commit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed_data")
def test_it_runs_a_due_schedule_once_per_slot() -> None:
    only(RECORD, kwargs={"source": "erp"}, every_minutes=1, starts=time(0), ends=None)
    tasks_for_tests.CALLS.clear()
    worker_once()
    worker_once()
    assert tasks_for_tests.CALLS == [{"source": "erp"}]
    schedule = Schedule.objects.get()
    assert schedule.last_status == "ok" and schedule.last_finished_at is not None
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed_data")
def test_it_preloads_the_readers_at_its_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from opsdesk.live.management.commands import worker

    calls: list[str] = []
    monkeypatch.setattr(worker, "readers_preload", lambda: calls.append("preloaded"))
    assert "已启动" in worker_once()
    assert calls == ["preloaded"]


@pytest.mark.django_db
def test_outside_its_window_nothing_is_queued() -> None:
    only(RECORD)
    assert schedules_tick(at=at("07:00")) == []
    assert schedules_tick(at=at("08:05")) == ["test"]
    assert schedules_tick(at=at("08:09")) == []
    assert schedules_tick(at=at("08:10")) == ["test"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed_data")
def test_a_failing_job_is_retried_later_a_bounded_number_of_times_and_its_error_kept() -> None:
    only("tests.live.tasks_for_tests.explode", every_minutes=10, starts=time(0), ends=None)
    worker_once()
    schedule = Schedule.objects.get()
    assert schedule.last_status == "failed" and "对方没有应答" in schedule.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after is not None and retry.run_after > now()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    # The last attempt queues nothing more.
    from opsdesk.live.tasks import run_job

    DBTaskResult.objects.all().delete()
    with pytest.raises(ConnectionError):
        run_job.call("tests.live.tasks_for_tests.explode", {}, schedule="test", attempt=MAX_ATTEMPTS)
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_disabled_schedules_do_not_run() -> None:
    only(RECORD, enabled=False, starts=time(0), ends=None)
    assert schedules_tick(at=now()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed_data")
def test_two_workers_ticking_at_once_queue_a_slot_once() -> None:
    only(RECORD, starts=time(0), ends=None)
    moment, barrier, started = now(), threading.Barrier(2), []

    def tick() -> None:
        barrier.wait()
        try:
            started.extend(schedules_tick(at=moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert started == ["test"]
    assert ScheduleSlot.objects.count() == 1 and DBTaskResult.objects.count() == 1
