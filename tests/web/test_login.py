from __future__ import annotations

import pytest
from django.test import Client

from opsdesk.test import PASSWORD, BaseTestCase

pytestmark = pytest.mark.postgres

PAGES = [
    "/", "/orders/", "/orders/official/GW1/", "/exceptions/", "/exceptions/ship_overdue/", "/checklist/",
    "/cases/", "/cases/1/", "/reports/cod/", "/imports/", "/stockouts/", "/accounts/password/",
]
POSTS = [
    "/orders/official/GW1/phone/", "/orders/official/GW1/ack/", "/orders/official/GW1/rx-review/",
    "/checklist/erp-audit/sign/", "/cases/1/send/", "/stockouts/mark/",
]


class LoginTestCase(BaseTestCase):
    def test_every_page_needs_a_login(self) -> None:
        for url in PAGES:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/accounts/login/?next="), url)

    def test_every_post_needs_a_login(self) -> None:
        for url in POSTS:
            response = self.client.post(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])

    def test_it_logs_in_and_shows_the_user_and_role(self) -> None:
        response = self.client.post("/accounts/login/", {"username": "pharmacist", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        page = self.client.get("/orders/")
        self.assertContains(page, "pharmacist")
        self.assertContains(page, "药师")

    def test_a_wrong_password_is_refused(self) -> None:
        response = self.client.post("/accounts/login/", {"username": "operator", "password": "nope-nope-1"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "用户名或密码不对")

    def test_logout_is_a_post(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/orders/").status_code, 302)

    def test_the_password_can_be_changed(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "another-horse-77", "new_password2": "another-horse-77"},
        )
        self.assertRedirects(response, "/accounts/password/done/", fetch_redirect_response=False)
        self.service.refresh_from_db()
        self.assertTrue(self.service.check_password("another-horse-77"))

    def test_posts_without_a_csrf_token_are_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.operator)
        response = client.post("/checklist/erp-audit/sign/", {"note": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(client.post("/accounts/logout/").status_code, 403)

    def test_english_can_be_chosen(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/orders/"})
        page = self.client.get("/orders/")
        self.assertContains(page, 'lang="en"')
        self.assertContains(page, ">Today</a>")
        self.assertContains(page, "(operator)")
        self.assertContains(self.client.get("/checklist/"), "Sign off")
