"""SQLite's text of a time column: the Arrow path gives exactly what Django stores for each value."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from opsdesk.imports.store import sqlite_times, sqlite_value

zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
times = st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2100, 12, 30), timezones=zones)


@given(st.lists(st.one_of(st.none(), times.map(lambda value: value.replace(microsecond=0))), max_size=30))
def test_it_formats_times_as_django_stores_them(values: list[datetime | None]) -> None:
    assert sqlite_times(values) == [sqlite_value(value) for value in values]


def test_it_keeps_microseconds() -> None:
    value = datetime(2026, 11, 23, 9, 0, 0, 250, tzinfo=timezone(timedelta(hours=8)))
    assert sqlite_times([value, None]) == ["2026-11-23 01:00:00.000250", None]
