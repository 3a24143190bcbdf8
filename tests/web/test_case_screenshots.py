"""`POST /cases/<id>/screenshots/`: the transaction screenshot and damage photos uploaded on the case page,
checked by content and size, kept 0600, shown as thumbnails and attached to the claim e-mail."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from opsdesk.aftersales.models import CaseEvent, CaseFile
from opsdesk.aftersales.services import case_open, case_send
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import smtp_server, zto_order

pytestmark = pytest.mark.postgres


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


class CaseScreenshotsTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        self.case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="35", user=self.service)
        self.url = f"/cases/{self.case.pk}/screenshots/"

    def upload(self, *files: tuple[str, bytes], kind: str = "交易截图", user: object = None) -> object:
        self.client.force_login(user or self.service)
        uploads = [SimpleUploadedFile(name, content) for name, content in files]
        return self.client.post(self.url, {"kind": kind, "image": uploads}, follow=True)

    def test_it_stores_a_png_and_a_jpeg_0600_and_logs_the_upload(self) -> None:
        response = self.upload(("pay.png", image_bytes()), ("box.jpeg", image_bytes("JPEG", colour="blue")))
        self.assertContains(response, "已上传: 交易截图 pay.png、交易截图 box.jpg")
        files = list(CaseFile.objects.filter(case=self.case))
        self.assertEqual(len(files), 2)
        for stored in files:
            mode = (Path(settings.DATA_DIR) / stored.path).stat().st_mode
            self.assertEqual(stat.S_IMODE(mode), 0o600)
        self.assertTrue(CaseEvent.objects.filter(case=self.case, action="screenshot", user=self.service).exists())

    def test_it_shows_thumbnails_on_the_case_page(self) -> None:
        self.upload(("pay.png", image_bytes(size=(1200, 900))))
        stored = CaseFile.objects.get(case=self.case)
        page = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(page, f'src="/cases/{self.case.pk}/files/{stored.pk}/?thumb=1"')
        shown = self.client.get(f"/cases/{self.case.pk}/files/{stored.pk}/?thumb=1")
        self.assertEqual(shown["Cache-Control"], "private, no-store")  # it shows a buyer's name and phone
        self.assertContains(page, 'data-paste-files="image"')

    def test_a_damaged_case_offers_damage_photos_first(self) -> None:
        self.client.force_login(self.service)
        self.assertContains(self.client.get(f"/cases/{self.case.pk}/"), '<option value="破损照片">')
        self.case.type = "damaged"
        self.case.save(update_fields=["type"])
        self.assertContains(self.client.get(f"/cases/{self.case.pk}/"), '<option value="破损照片" selected>')

    def test_it_refuses_what_is_not_a_jpeg_or_png_whatever_its_name(self) -> None:
        response = self.upload(("fake.png", b"GIF89a not really"), ("ok.png", image_bytes()))
        self.assertContains(response, "截图 fake.png: 不是可读取的 JPEG 或 PNG 图片")
        gif = self.upload(("anim.gif", image_bytes("GIF")))
        self.assertContains(gif, "图片格式 GIF 不支持")
        self.assertFalse(CaseFile.objects.exists())

    def test_it_refuses_a_file_over_the_size_limit(self) -> None:
        with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None):
            response = self.upload(("huge.png", image_bytes() + b"\0" * (20 * 1024 * 1024)))
        self.assertContains(response, "截图 huge.png 超过 20 MB")
        self.assertFalse(CaseFile.objects.exists())

    def test_it_refuses_the_same_picture_twice(self) -> None:
        self.upload(("pay.png", image_bytes()))
        self.assertContains(self.upload(("again.png", image_bytes())), "已经上传过")
        self.assertEqual(CaseFile.objects.count(), 1)

    def test_it_refuses_users_who_do_not_work_claims(self) -> None:
        self.client.force_login(self.pharmacist)
        response = self.client.post(self.url, {"image": [SimpleUploadedFile("a.png", image_bytes())]})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CaseFile.objects.exists())

    def test_the_claim_email_carries_the_uploaded_screenshots(self) -> None:
        self.upload(("pay.png", image_bytes()))
        with smtp_server() as (sink, mailers), override_settings(MAILERS=mailers, SMTP_ENABLED=True):
            case_send(case_id=self.case.pk, user=self.service)
        self.assertEqual(list(sink.received[0].attachments), ["交易截图 pay.png"])
        self.assertEqual(sink.received[0].attachments["交易截图 pay.png"], image_bytes())
