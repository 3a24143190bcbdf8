from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPSDESK_DATA_DIR": str(data_dir)}
    env.pop("OPSDESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "opsdesk.cli", *args], input=stdin, capture_output=True, text=True, env=env,
        timeout=120,
    )


def test_init_is_safe_to_run_twice(tmp_path: Path) -> None:
    first = run("init", "--json", data_dir=tmp_path)
    second = run("init", "--json", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["ok"] is True
    assert (tmp_path / "opsdesk.sqlite3").is_file()


@pytest.mark.usefixtures("initialised_tmp_path")
def test_refusals_exit_1_with_a_message_and_usage_errors_exit_2(tmp_path: Path) -> None:
    weak = run("user", "add", "zhang", "--role", "operator", data_dir=tmp_path, stdin="short\n")
    assert weak.returncode == 1
    assert "密码" in weak.stderr
    assert "Traceback" not in weak.stderr
    usage = run("user", "add", "zhang", "--role", "cashier", data_dir=tmp_path, stdin="long-enough-9\n")
    assert usage.returncode == 2
    assert run(data_dir=tmp_path).returncode == 2


def test_a_command_on_a_database_never_initialised_says_run_init(tmp_path: Path) -> None:
    result = run("orders", "--json", data_dir=tmp_path)
    assert result.returncode == 1
    assert "opsdesk init" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
