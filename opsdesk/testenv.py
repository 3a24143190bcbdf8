"""A pytest plugin loaded with `-p opsdesk.testenv` (see pyproject.toml) before Django's settings are read:
each test session gets its own data directory, so that parallel runs never share a test database."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "OPSDESK_DATA_DIR" not in os.environ:
    # Made here, so removed here: the xdist workers inherit the variable and leave the directory to this process.
    os.environ["OPSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="opsdesk-test-")
    atexit.register(shutil.rmtree, os.environ["OPSDESK_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("OPSDESK_TEST_DB_SUFFIX", str(os.getpid()))
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from it are fine there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
