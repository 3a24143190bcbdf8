from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.console import opsdesk_run


def test_init_is_safe_to_run_twice(tmp_path: Path) -> None:
    first = opsdesk_run("init", "--json", data_dir=tmp_path)
    second = opsdesk_run("init", "--json", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # creating the system account is no "password set" warning
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["ok"] is True
    assert (tmp_path / "opsdesk.sqlite3").is_file()


@pytest.mark.usefixtures("initialised_tmp_path")
def test_refusals_exit_1_with_a_message_and_usage_errors_exit_2(tmp_path: Path) -> None:
    weak = opsdesk_run("user", "add", "zhang", "--role", "operator", data_dir=tmp_path, stdin="short\n")
    assert weak.returncode == 1
    assert "密码" in weak.stderr
    assert "Traceback" not in weak.stderr
    usage = opsdesk_run("user", "add", "zhang", "--role", "cashier", data_dir=tmp_path, stdin="long-enough-9\n")
    assert usage.returncode == 2
    assert opsdesk_run(data_dir=tmp_path).returncode == 2


def test_a_command_on_a_database_never_initialised_says_run_init(tmp_path: Path) -> None:
    result = opsdesk_run("orders", "--json", data_dir=tmp_path)
    assert result.returncode == 1
    assert "opsdesk init" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
