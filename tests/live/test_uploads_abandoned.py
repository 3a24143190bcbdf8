"""An upload a worker was importing when it died (killed, out of memory) is failed by the next worker's pass, each
file it never imported named with why, and its files (personal data) removed; one still being imported is not."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from opsdesk.live.models import Upload, UploadStatus
from opsdesk.live.uploads import INTERRUPTED, RUNNING_MARK, upload_run, upload_start, uploads_abandoned_fail
from opsdesk.test import BaseTestCase
from tests.live.test_inbox_command import HOLD

pytestmark = pytest.mark.postgres


class AbandonedUploadsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(override_settings(DATA_DIR=self.enterContext(tempfile.TemporaryDirectory())))
        files = [SimpleUploadedFile("a.csv", b"x"), SimpleUploadedFile("b.csv", b"y")]
        self.upload = upload_start(user=self.operator, files=files)
        Upload.objects.filter(pk=self.upload.pk).update(status=UploadStatus.RUNNING, results=[{"file": "a.csv"}])
        self.folder = Path(self.upload.files[0]["path"]).parent.parent

    def test_one_whose_worker_is_gone_is_failed_and_its_files_removed(self) -> None:
        self.assertEqual(uploads_abandoned_fail(), [str(self.upload.pk)])
        self.upload.refresh_from_db()
        self.assertEqual(self.upload.status, "failed")
        self.assertEqual([r["file"] for r in self.upload.results], ["a.csv", "b.csv"])  # the first was imported
        self.assertEqual(self.upload.results[1]["errors"][0]["message"], INTERRUPTED)
        self.assertFalse(self.folder.exists())
        self.assertEqual(uploads_abandoned_fail(), [])
        self.assertEqual(upload_run(upload_id=str(self.upload.pk))["status"], "already taken")

    def test_one_a_live_worker_holds_is_left_running(self) -> None:
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(self.folder / RUNNING_MARK)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            self.assertEqual(uploads_abandoned_fail(), [])
            self.assertEqual(Upload.objects.get(pk=self.upload.pk).status, "running")
            self.assertTrue(Path(self.upload.files[1]["path"]).exists())
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
        self.assertEqual(uploads_abandoned_fail(), [str(self.upload.pk)])


class UploadElsewhereTestCase(BaseTestCase):
    def test_an_upload_this_worker_cannot_see_fails_saying_why(self) -> None:
        desk = self.enterContext(tempfile.TemporaryDirectory())
        with override_settings(DATA_DIR=desk):
            upload = upload_start(user=self.operator, files=[SimpleUploadedFile("a.csv", b"x")])
        with override_settings(DATA_DIR=self.enterContext(tempfile.TemporaryDirectory())):  # another machine's
            self.assertEqual(upload_run(upload_id=str(upload.pk))["status"], "failed")
        upload.refresh_from_db()
        self.assertEqual(upload.status, "failed")
        self.assertIn("须使用同一个 OPSDESK_DATA_DIR", upload.results[0]["errors"][0]["message"])
