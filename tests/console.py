"""The console script in a process of its own, as a user runs it: SQLite in the data directory given (never the
test run's PostgreSQL), none of this process's integrations, and the variables a test sets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# What the test run itself may have set that a console-script test must not inherit.
NOT_INHERITED = ("OPSDESK_DATABASE_URL", "OPSDESK_DEMO_DATA_DIR")


def console_env(data_dir: Path | None, **variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in NOT_INHERITED and not key.startswith("OPSDESK_HUPUN_")}
    if data_dir is not None:
        env["OPSDESK_DATA_DIR"] = str(data_dir)
    return env | variables


def opsdesk_run(
    *args: str, data_dir: Path | None = None, stdin: str = "", timeout: int = 120, **variables: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opsdesk.cli", *args], input=stdin, capture_output=True, text=True,
                          env=console_env(data_dir, **variables), timeout=timeout)
