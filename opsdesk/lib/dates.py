"""Times: everything is Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from opsdesk.lib.errors import Refused

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Days and moments people give (--date, --at, ?date=, ?at=): the shop's records, not the calendar's ends, so
# that `day + 1` and time-zone shifts never overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def now() -> datetime:
    """The desk's clock: the real time, moved by settings.CLOCK_OFFSET seconds (0; the demo sets it so that the
    desk, its worker and the CLI all live through the demo's morning)."""
    return datetime.now(SHANGHAI) + timedelta(seconds=_clock_offset())


def _clock_offset() -> int:
    from django.conf import settings

    return int(getattr(settings, "CLOCK_OFFSET", 0)) if settings.configured else 0


def local(value: datetime) -> datetime:
    """An aware datetime in Shanghai time; a naive one is taken to be Shanghai time already."""
    return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value.astimezone(SHANGHAI)


def at_time(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=SHANGHAI)


def day_start(day: date) -> datetime:
    return at_time(day, time.min)


def day_end(day: date) -> datetime:
    """The first instant of the next day: use as an exclusive upper bound."""
    return day_start(day + timedelta(days=1))


def parse_moment(text: str | None) -> datetime:
    """`--at` values: ISO 8601; without an offset it is Shanghai time. None means now."""
    if not text:
        return now()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise Refused(f"时间格式不对: {text!r} (应为 ISO 8601, 例如 2026-11-23T09:30)") from exc
    _in_range(moment.date(), text)
    return local(moment)


def parse_day(text: str | None, *, default: date | None = None) -> date:
    """`--date` values: YYYY-MM-DD. None means today in Shanghai (or `default`)."""
    if not text:
        return default or now().date()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise Refused(f"日期格式不对: {text!r} (应为 YYYY-MM-DD)") from exc
    return _in_range(day, text)


def _in_range(day: date, text: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refused(f"日期超出范围: {text!r} (应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间)")
    return day


def iso(value: datetime | None) -> str | None:
    return local(value).isoformat() if value else None
