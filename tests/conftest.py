from __future__ import annotations

import pytest


@pytest.fixture
def seed_data(transactional_db: None) -> None:
    """The channels and checklist items the migrations seed. Django restores them for `serialized_rollback`
    tests from a snapshot taken when the test database is created, but under pytest-xdist a worker whose first
    tests are plain TestCases gets no snapshot: take it here on the first look, and restore it after a flush."""
    from django.db import connection

    from opsdesk.orders.models import Channel

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None and Channel.objects.exists():
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()  # type: ignore[attr-defined]
    elif contents and not Channel.objects.exists():
        connection.creation.deserialize_db_from_string(contents)
    assert Channel.objects.exists(), "the migrations' seed data is missing"
