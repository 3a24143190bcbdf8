"""`/cases/<id>/files/<file>/`: one screenshot of a case, or its thumbnail."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from opsdesk.aftersales.screenshots import case_screenshots_add
from opsdesk.aftersales.services import case_open
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order

pytestmark = pytest.mark.postgres


class CaseFileTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        self.case = case_open(type="damaged", order_no="201122-123456789012345", amount="12", qty=1, user=self.service)
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1200), "green").save(buffer, "JPEG")
        self.content = buffer.getvalue()
        [self.file] = case_screenshots_add(case_id=self.case.pk, user=self.service, files=[("box.jpg", self.content)],
                                           kind="破损照片")

    def test_it_serves_the_picture_as_uploaded(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(f"/cases/{self.case.pk}/files/{self.file.pk}/")
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response.content, self.content)
        self.assertEqual(self.file.name, "破损照片 box.jpg")

    def test_it_serves_a_small_thumbnail(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get(f"/cases/{self.case.pk}/files/{self.file.pk}/", {"thumb": "1"})
        self.assertLessEqual(max(Image.open(io.BytesIO(response.content)).size), 240)

    def test_it_is_404_for_another_cases_file(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get(f"/cases/{self.case.pk + 1}/files/{self.file.pk}/").status_code, 404)
