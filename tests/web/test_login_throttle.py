"""Login throttling: ten wrong passwords for one username from one address lock it for fifteen minutes — the
right password is then refused too, the desk says so in Chinese, and the admin sees the lock-out."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from opsdesk.test import PASSWORD, BaseTestCase

pytestmark = pytest.mark.postgres


class LoginThrottleTestCase(BaseTestCase):
    def login(self, password: str) -> object:
        return self.client.post("/accounts/login/", {"username": "operator", "password": password}, REMOTE_ADDR="192.0.2.7")

    def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_refused(self) -> None:
        self.assertEqual((settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()), (10, 900))
        for _ in range(9):
            self.assertEqual(self.login("wrong-password").status_code, 200)  # the form again, with its error
        locked = self.login("wrong-password")
        self.assertEqual(locked.status_code, 429)
        response = self.login(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "账号已锁定", status_code=429)
        self.assertContains(response, "15 分钟", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        attempt = AccessAttempt.objects.get(username="operator")
        self.assertEqual((attempt.ip_address, attempt.failures_since_start), ("192.0.2.7", 11))  # the refused right one too

    def test_a_username_longer_than_the_record_holds_is_a_failed_login(self) -> None:
        response = self.client.post("/accounts/login/", {"username": "x" * 3000, "password": "wrong-password"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(AccessAttempt.objects.get().username, "x" * 255)

    def test_the_lock_is_per_username_and_address(self) -> None:
        for _ in range(10):
            self.login("wrong-password")
        other = self.client.post("/accounts/login/", {"username": "operator", "password": PASSWORD},
                                 REMOTE_ADDR="192.0.2.8")
        self.assertEqual(other.status_code, 302)

    def test_the_admin_lists_the_attempts(self) -> None:
        self.login("wrong-password")
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/admin/axes/accessattempt/"), "operator")
