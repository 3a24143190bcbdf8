"""Query parameters from the issue's findings: each is a 4xx with its message, or clamped; never a 500."""

from __future__ import annotations

import pytest

from opsdesk.test import BaseTestCase
from opsdesk.web.pager import LAST_PAGE, page_number

pytestmark = pytest.mark.postgres

HUGE = "9223372036854775807"


class BadParamsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.admin)

    def test_a_far_off_day_is_refused_with_its_message(self) -> None:
        for url in ("/checklist/?date=9999-12-31", "/checklist/?date=0001-01-01"):
            response = self.client.get(url)
            self.assertContains(response, "日期超出范围", status_code=400)

    def test_the_cod_report_refuses_a_far_off_day(self) -> None:
        response = self.client.get("/reports/cod/?date=9999-12-31", follow=True)
        self.assertContains(response, "日期超出范围")

    def test_a_far_off_or_malformed_moment_is_refused_as_the_cli_refuses_it(self) -> None:
        for url in ("/?at=9999-12-31T23:00", "/exceptions/?at=9999-12-31T23:00", "/checklist/?at=0001-01-01T00:00",
                    "/checklist/?at=2026-02-30", "/exceptions/ship_overdue/?at=9999-12-31T25:00", "/?at=morgen"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 400, url)
            self.assertNotContains(response, "Traceback", status_code=400)
        self.assertContains(self.client.get("/checklist/?at=2026-02-30"), "2026-02-30", status_code=400)

    def test_a_moment_from_someone_who_may_not_choose_one_is_ignored(self) -> None:
        self.client.force_login(self.service)
        self.assertEqual(self.client.get("/checklist/?at=2026-02-30").status_code, 200)

    def test_huge_pages_are_clamped(self) -> None:
        for url in ("/orders/", "/cases/", "/exceptions/ship_overdue/"):
            response = self.client.get(f"{url}?page={HUGE}")
            self.assertEqual(response.status_code, 200, url)
        self.assertEqual(page_number(HUGE), LAST_PAGE)
        self.assertEqual(page_number("-5"), 1)
        self.assertEqual(page_number("x"), 1)

    def test_a_refused_sign_off_note_is_a_message(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/checklist/erp-abnormal/sign/", {"note": "长" * 5000},
                                    headers={"HX-Request": "true"})
        self.assertContains(response, "备注", status_code=409)

    def test_an_id_beyond_64_bits_is_no_such_record(self) -> None:
        """SQLite cannot bind such a number (OverflowError): each was a 500 there."""
        beyond = "99999999999999999999"
        for url in (f"/cases/{beyond}/", f"/cases/{beyond}/files/1/", f"/cases/1/files/{beyond}/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.client.force_login(self.operator)
        for field in ("orders", "one"):
            response = self.client.post("/exceptions/buyer_note/clear/", {field: beyond}, follow=True)
            self.assertContains(response, "订单选择无效", msg_prefix=field)
