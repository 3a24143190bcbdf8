from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.console import opsdesk_run

# The migrations' seed data (channels, checklist items, templates, groups) as serialized once per test session.
SEED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Snapshot the seed data once the test database exists, in every xdist worker: Django restores it at the start
    of each `serialized_rollback` test, whatever flushed the database before. pytest-django takes it only when it
    sees such a mark (not for a TransactionTestCase's class attribute), so a worker whose first transactional test
    was one of those lost the seed data for the rest of the session."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            SEED[connection.alias] = contents or connection.creation.serialize_db_to_string()
            connection._test_serialized_contents = SEED[connection.alias]  # type: ignore[attr-defined]


@pytest.fixture
def seed_data(transactional_db: None) -> None:
    """The seed data is there. Playwright's sync API runs the test in a greenlet, whose connection objects are not
    the session's (they are context-local): hand them the snapshot too, and restore it if a flush took it away."""
    from django.db import connection

    from opsdesk.orders.models import Channel

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = SEED[connection.alias]  # type: ignore[attr-defined]
    if not Channel.objects.exists():
        connection.creation.deserialize_db_from_string(SEED[connection.alias])
    assert Channel.objects.exists(), "the migrations' seed data is missing"


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as `opsdesk init` leaves it (SQLite), made once per test process: its migrations take 6 s."""
    folder = tmp_path_factory.mktemp("initialised")
    done = opsdesk_run("init", data_dir=folder)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def initialised_tmp_path(tmp_path: Path, initialised_template: Path) -> Path:
    """tmp_path as a data directory `opsdesk init` made, for tests of the console script in processes of its own."""
    shutil.copytree(initialised_template, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture(autouse=True)
def desk_cache_new_generation() -> None:
    """Each test starts a new generation of the desk's shared counts (opsdesk.web.cache): one test's counts,
    computed in the same database generation as the next test's, were reused by it, depending on the order."""
    from opsdesk.web.cache import changed

    changed()
