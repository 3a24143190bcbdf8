"""How fresh each source is: its last successful import or pull (ImportRecord, whoever made it), its last failure,
and whether the numbers it feeds are stale at a moment `at`. A pulled source (万里牛's, opsdesk.hupun) is as fresh as
what its pull has stored whole, its cursor, not as the moment a window was written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery

from opsdesk.hupun.services import pulled_to
from opsdesk.imports.models import ImportProfile, ImportRecord, ImportStatus, SourceKind
from opsdesk.lib import dates
from opsdesk.live.models import Schedule, SourcePolicy
from opsdesk.orders.models import Channel
from opsdesk.rules.registry import REGISTRY

REFRESHED = (ImportStatus.IMPORTED, ImportStatus.UNCHANGED)


@dataclass(frozen=True)
class SourceState:
    source: str
    label: str
    last_at: datetime | None
    last_file: str | None
    rows: int | None
    via: str | None
    by: str | None
    last_error: str | None
    last_error_at: datetime | None
    stale: bool
    age_minutes: int | None
    max_age_minutes: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "last_at": dates.iso(self.last_at), "last_error_at": dates.iso(self.last_error_at)}


def working_hours() -> tuple[time, time]:
    return settings.WORKING_HOURS


def source_stale(*, last_at: datetime | None, max_age_minutes: int, at: datetime) -> bool:
    """Stale: never refreshed, not since the day began, or (during working hours) not within its maximum age."""
    if last_at is None:
        return True
    seen = dates.local(at)
    if dates.local(last_at) < dates.day_start(seen.date()):
        return True
    opens, closes = working_hours()
    return opens <= seen.time() < closes and seen - last_at > timedelta(minutes=max_age_minutes)


def _newest(statuses: Iterable[str], at: datetime, *, pulled: bool | None = None) -> Subquery:
    """The id of the outer source's newest record with one of `statuses` up to `at` (the last made of equals), of
    a pull's window (`pulled`: a table that is no file, so no digest) or a file's: read backwards along the index on
    (source, at), not by grouping the whole history."""
    records = ImportRecord.objects.filter(source=OuterRef("source"), status__in=list(statuses), at__lte=at)
    if pulled is not None:
        records = records.filter(sha256="") if pulled else records.exclude(sha256="")
    return Subquery(records.order_by("-at", "-id").values("id")[:1])


def _policies_with_latest(at: datetime) -> tuple[list[Any], dict[int, ImportRecord]]:
    """Every source the admin lists with the ids of its newest file import, pull and failure up to `at`, and those
    records (two queries, whatever the history)."""
    policies = list(SourcePolicy.objects.annotate(
        file_id=_newest(REFRESHED, at, pulled=False), pulled_id=_newest(REFRESHED, at, pulled=True),
        failed_id=_newest([ImportStatus.REJECTED], at),
    ))
    ids = [pk for policy in policies for pk in (policy.file_id, policy.pulled_id, policy.failed_id) if pk]
    return policies, ImportRecord.objects.select_related("user").in_bulk(ids)


def _refresh(policy: Any, records: dict[int, ImportRecord],
             pulled: dict[str, datetime]) -> tuple[datetime, ImportRecord] | None:
    """When the source's data was last complete, and the record of that refresh: its newest file import, or its
    newest pull, which is no fresher than the pull's cursor (a window written after a failed one, or a backfill
    further back, is data of some hours ago)."""
    found = []
    if file := records.get(policy.file_id):
        found.append((file.at, file))
    if pull := records.get(policy.pulled_id):
        cursor = pulled.get(policy.source)
        found.append((min(pull.at, cursor) if cursor else pull.at, pull))
    return max(found, key=lambda refresh: refresh[0], default=None)


def _failure_text(record: ImportRecord) -> str:
    messages = [str(error.get("message", "")) for error in record.errors[:3] if isinstance(error, dict)]
    return f"{record.file_name}: {'; '.join(messages) or '导入失败'}"


def _schedule_failures(at: datetime) -> dict[str, tuple[str, datetime]]:
    """A scheduled job bound to a source that failed outright (its run never got to record an import)."""
    failed = Schedule.objects.filter(last_status="failed", last_finished_at__lte=at).exclude(source="")
    return {schedule.source: (f"{schedule.title}: {schedule.last_error}", schedule.last_finished_at)
            for schedule in failed if schedule.last_finished_at}


def _state(policy: SourcePolicy, refresh: tuple[datetime, ImportRecord] | None, error: tuple[str, datetime] | None,
           at: datetime) -> SourceState:
    last_at, ok = refresh or (None, None)
    if error and last_at and error[1] <= last_at:
        error = None  # mended since
    return state_at(SourceState(
        source=policy.source, label=policy.label, last_at=last_at, last_file=ok.file_name if ok else None,
        rows=ok.rows if ok else None, via=(ok.via or None) if ok else None,
        by=ok.user.get_username() if ok and ok.user else None,
        last_error=error[0] if error else None, last_error_at=error[1] if error else None,
        stale=True, age_minutes=None, max_age_minutes=policy.max_age_minutes,
    ), at)


def state_at(state: SourceState, at: datetime) -> SourceState:
    """`state` as seen at `at`: the same refresh, its age and staleness then (a state read a little earlier and
    shared by the desk, see web/freshness.py, is told anew for each look)."""
    last_at = state.last_at
    return replace(
        state, stale=source_stale(last_at=last_at, max_age_minutes=state.max_age_minutes, at=at),
        age_minutes=int((at - last_at).total_seconds() // 60) if last_at else None,
    )


def _failure(policy: Any, records: dict[int, ImportRecord],
             schedules: dict[str, tuple[str, datetime]]) -> tuple[str, datetime] | None:
    """The source's latest failure: its last rejected import, or a later failed scheduled job."""
    record = records.get(policy.failed_id)
    failed = (_failure_text(record), record.at) if record else None
    scheduled = schedules.get(policy.source)
    return scheduled if scheduled and (failed is None or failed[1] < scheduled[1]) else failed


def source_states(*, at: datetime) -> list[SourceState]:
    """Every source the admin lists (the twelve of interface.md by default), freshest facts first."""
    policies, records = _policies_with_latest(at)
    schedules, pulled = _schedule_failures(at), pulled_to()
    return [_state(policy, _refresh(policy, records, pulled), _failure(policy, records, schedules), at)
            for policy in policies]


def channel_sources() -> dict[str, str]:
    """Channel code → the source whose exports carry its orders."""
    profiles = ImportProfile.objects.filter(kind=SourceKind.CHANNEL).values_list("channel_code", "source")
    return dict(profiles)


def rule_channels() -> dict[str, list[str]]:
    """Rule code → the channels whose orders it can flag, for the rules that say (`@rule(channels=…)`)."""
    channels = list(Channel.objects.all())
    return {code: [c.code for c in channels if found.channels(c)]
            for code, found in REGISTRY.items() if found.channels is not None}


def rule_sources(*, rule: str, channels: Iterable[str], by_channel: dict[str, str],
                 scoped: dict[str, list[str]] | None = None) -> list[str]:
    """The sources behind a rule's count over `channels` (all channels when empty), narrowed to the channels the
    rule can flag (`scoped`, from rule_channels()): a 药房网 cut-off count is not stale for 寻医问药's export."""
    wanted = list(channels) or list(by_channel)
    can = (scoped or {}).get(rule)
    picked = [by_channel[code] for code in wanted if code in by_channel and (can is None or code in can)]
    found = REGISTRY.get(rule)
    return [*picked, *(found.reads if found else ())]


@dataclass(frozen=True)
class Freshness:
    """What the desk says next to a count: the oldest refresh of the data behind it, and which sources are stale."""

    refreshed_at: datetime | None
    stale: tuple[str, ...]


def freshness_of(*, sources: Iterable[str], states: dict[str, SourceState]) -> Freshness:
    known = [states[source] for source in sources if source in states]
    times = [state.last_at for state in known]
    oldest = None if not times or None in times else min(t for t in times if t)
    return Freshness(refreshed_at=oldest, stale=tuple(state.label for state in known if state.stale))
