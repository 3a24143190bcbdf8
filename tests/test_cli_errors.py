"""The console script never shows a traceback: malformed settings, far-off dates, non-UTF-8 paths, a closed
pipe and an unexpected error each end in one line and exit 1 (the whole battery: scripts/cli-battery)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.console import opsdesk_run


def one_line_refusal(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("variable, value", [
    ("OPSDESK_DEBUG", "maybe"), ("OPSDESK_SMTP_PORT", "x"), ("OPSDESK_LOG_LEVEL", "loud"),
    ("OPSDESK_DATABASE_URL", "mysql://x/y"), ("OPSDESK_WORKERS", "three"), ("OPSDESK_HTTPS", "sometimes"),
])
def test_a_malformed_setting_is_one_line_naming_it(tmp_path: Path, variable: str, value: str) -> None:
    one_line_refusal(opsdesk_run("orders", data_dir=tmp_path, **{variable: value}), variable)


def test_a_data_dir_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    one_line_refusal(opsdesk_run("orders", data_dir=Path("/proc/no-such-dir")), "OPSDESK_DATA_DIR")


@pytest.mark.parametrize("argv, expected", [
    (["checklist", "--date", "9999-12-31"], "日期超出范围"),
    (["exceptions", "--at", "9999-12-31T23:00"], "日期超出范围"),
    (["report", "cod", "--date", "0001-01-01"], "日期超出范围"),
])
@pytest.mark.usefixtures("initialised_tmp_path")
def test_far_off_days_and_moments_are_refused(tmp_path: Path, argv: list[str], expected: str) -> None:
    one_line_refusal(opsdesk_run(*argv, data_dir=tmp_path), expected)


@pytest.mark.usefixtures("initialised_tmp_path")
def test_a_non_utf8_path_is_imported_or_refused_without_a_traceback(tmp_path: Path) -> None:
    name = os.fsdecode(bytes(tmp_path) + b"/\xff-export.csv")
    Path(name).write_text("订单编号,金额\n1,2\n", encoding="utf-8")
    result = opsdesk_run("import", name, data_dir=tmp_path)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr
    assert "export.csv" in result.stdout + result.stderr


@pytest.mark.usefixtures("initialised_tmp_path")
def test_an_import_refusal_is_named_by_the_command_people_type(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("订单编号,金额\n1,2\n", encoding="utf-8")
    result = opsdesk_run("import", str(tmp_path / "a.csv"), "--user", "ghost", data_dir=tmp_path)
    one_line_refusal(result, "没有用户 'ghost'")
    assert result.stderr.startswith("opsdesk import: ") and "import_files" not in result.stderr
    usage = opsdesk_run("import", data_dir=tmp_path)
    assert usage.returncode == 2 and "opsdesk import: error:" in usage.stderr and "import_files" not in usage.stderr


def test_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    env = {**os.environ, "OPSDESK_DATA_DIR": str(tmp_path)}
    shell = f"{sys.executable} -m opsdesk.cli orders --help | head -c 10 >/dev/null"
    result = subprocess.run(["bash", "-c", shell], env=env, capture_output=True, text=True, timeout=120)
    assert result.stderr == ""


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    """Exit 2, as for a bad option (the interface's usage error); Django's own message exits 1."""
    result = opsdesk_run("nosuch", data_dir=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (2, "opsdesk: 未知命令 'nosuch' (opsdesk help 列出全部命令)")
