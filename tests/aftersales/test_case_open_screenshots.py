"""`opsdesk case open --screenshot FILE` / `--photo FILE` goes through the same checks as the case page's upload:
JPEG or PNG by content (not by name), the size limit, files kept 0600 in 0700 folders, lost and damaged cases
only; a refusal writes nothing."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from opsdesk.aftersales.models import Case, CaseFile
from opsdesk.aftersales.screenshots import SCREENSHOT_MAX_BYTES
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import case_cli, sto_order, zto_order
from tests.factories import image_bytes

pytestmark = pytest.mark.postgres

ORDER_NO = "201122-123456789012345"


class CaseOpenScreenshotsTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.kept = self.stored_files()

    @staticmethod
    def stored_files() -> set[Path]:
        return set((Path(settings.DATA_DIR) / "cases").rglob("*"))

    def file(self, name: str, content: bytes) -> str:
        path = self.folder / name
        path.write_bytes(content)
        return str(path)

    def open_lost(self, *args: str) -> Any:
        return case_cli("open", "lost_parcel", ORDER_NO, "--amount", "35", *args, "--user", "service")

    def assert_refused(self, message: str, *args: str) -> None:
        with self.assertRaises(CommandError) as raised:
            self.open_lost(*args)
        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn(message, str(raised.exception))
        self.assertFalse(Case.objects.exists())
        self.assertFalse(CaseFile.objects.exists())
        self.assertEqual(self.stored_files(), self.kept)

    def test_a_good_png_and_jpeg_are_stored_0600_like_the_desks_upload(self) -> None:
        png, jpeg = image_bytes(), image_bytes("JPEG", colour="blue")
        data = self.open_lost("--screenshot", self.file("pay.png", png), "--photo", self.file("box.JPEG", jpeg))
        self.assertEqual([s["name"] for s in data["screenshots"]], ["交易截图 pay.png", "破损照片 box.jpg"])
        for stored, content in zip(CaseFile.objects.order_by("id"), (png, jpeg), strict=True):
            path = Path(settings.DATA_DIR) / stored.path
            self.assertEqual(path.read_bytes(), content)
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(path.parent.stat().st_mode), 0o700)

    def test_it_refuses_a_png_that_is_text(self) -> None:
        self.assert_refused("截图 fake.png: 不是可读取的 JPEG 或 PNG 图片",
                            "--screenshot", self.file("fake.png", b"this is not a picture\n" * 10))

    def test_it_refuses_a_picture_in_another_format(self) -> None:
        self.assert_refused("图片格式 GIF 不支持", "--screenshot", self.file("pay.png", image_bytes("GIF")))

    def test_it_refuses_an_oversized_file_without_reading_it_whole(self) -> None:
        big = self.folder / "big.png"
        with big.open("wb") as file:
            file.write(image_bytes())
            file.truncate(SCREENSHOT_MAX_BYTES * 3)
        self.assert_refused("截图 big.png 超过 20 MB", "--screenshot", str(big))

    def test_it_refuses_one_picture_chosen_twice_naming_no_case(self) -> None:
        pay = self.file("pay.png", image_bytes())
        self.assert_refused("同一张图片选了两次: 交易截图 pay.png 和 破损照片 pay.png", "--screenshot", pay, "--photo", pay)

    def test_it_refuses_an_empty_file(self) -> None:
        self.assert_refused("截图 empty.png 是空的", "--screenshot", self.file("empty.png", b""))

    def test_it_refuses_screenshots_on_a_case_that_sends_none(self) -> None:
        sto_order()
        with self.assertRaisesMessage(CommandError, "只有丢件和破损售后需要截图"):
            case_cli("open", "return_refund", "SN200910027912111", "--screenshot", self.file("pay.png", image_bytes()),
                     "--user", "service")
        self.assertFalse(Case.objects.exists())
