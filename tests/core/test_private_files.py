"""PIPL: the data dir, the database and the uploads are the owner's alone (0700 / 0600), and a 500 leaves its
traceback in the data dir's log."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from opsdesk.test import BaseTestCase
from tests.console import opsdesk_run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def broken(request: object) -> None:
    raise RuntimeError("boom-for-the-log")


urlpatterns = [path("broken/", broken)]


class PrivateFilesTestCase(BaseTestCase):
    def test_a_fresh_data_dir_and_database_are_private(self) -> None:
        data = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "fresh"
        done = opsdesk_run("init", data_dir=data)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(mode(data), 0o700)
        self.assertEqual(mode(data / "opsdesk.sqlite3") & 0o077, 0)
        self.assertEqual(mode(data / "secret.key") & 0o077, 0)

    def test_an_existing_world_readable_data_dir_is_closed(self) -> None:
        data = Path(self.enterContext(__import__("tempfile").TemporaryDirectory())) / "open"
        data.mkdir()
        data.chmod(0o755)
        env = {**os.environ, "OPSDESK_DATA_DIR": str(data)}
        subprocess.run([sys.executable, "-c", "import opsdesk.settings"], env=env, check=True)
        self.assertEqual(mode(data), 0o700)

    def test_files_this_process_writes_are_private(self) -> None:
        target = Path(settings.DATA_DIR) / "uploads" / "probe.bin"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
        self.assertEqual(mode(target), 0o600)
        self.assertEqual(mode(target.parent), 0o700)

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_500_is_logged_with_its_traceback_in_the_data_dir(self) -> None:
        response = Client(raise_request_exception=False).get("/broken/")
        self.assertEqual(response.status_code, 500)
        log = Path(settings.DATA_DIR, "logs", "opsdesk.log").read_text(encoding="utf-8")
        self.assertIn("Traceback", log)
        self.assertIn("boom-for-the-log", log)
