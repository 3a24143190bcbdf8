"""The integration is off until configured; half configured, it stops start-up naming the variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.console import console_env, opsdesk_run


def start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = console_env(tmp_path, **variables)
    code = "import django; django.setup(); from django.conf import settings; print(settings.HUPUN_ENABLED)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                          cwd=tmp_path)


@pytest.mark.parametrize(("variables", "named"), [
    ({"OPSDESK_HUPUN_SECRET": "s3cret"}, "OPSDESK_HUPUN_APP_KEY"),
    ({"OPSDESK_HUPUN_APP_KEY": "3823532979"}, "OPSDESK_HUPUN_SECRET"),
    ({"OPSDESK_HUPUN_APP_KEY": "1", "OPSDESK_HUPUN_SECRET": "s", "OPSDESK_HUPUN_URL": "open-api.example.com"},
     "OPSDESK_HUPUN_URL"),
])
def test_it_fails_at_start_when_half_configured(tmp_path: Path, variables: dict[str, str], named: str) -> None:
    result = start(tmp_path, DJANGO_SETTINGS_MODULE="opsdesk.settings", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_it_is_off_unless_configured(tmp_path: Path) -> None:
    result = start(tmp_path, DJANGO_SETTINGS_MODULE="opsdesk.settings")
    assert result.stdout.strip() == "False", result.stderr
    on = start(tmp_path, DJANGO_SETTINGS_MODULE="opsdesk.settings", OPSDESK_HUPUN_APP_KEY="1", OPSDESK_HUPUN_SECRET="s")
    assert on.stdout.strip() == "True", on.stderr


def test_the_console_script_names_the_variable_without_a_traceback(tmp_path: Path) -> None:
    result = opsdesk_run("orders", data_dir=tmp_path, OPSDESK_HUPUN_SECRET="s3cret")
    assert result.returncode == 1
    assert "OPSDESK_HUPUN_APP_KEY" in result.stderr and "Traceback" not in result.stderr
