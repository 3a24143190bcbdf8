"""Two pharmacists, each logged in over real HTTP to a threaded live server, approve two orders with one
prescription (the same reference, or the same image) at the same moment. The database refuses the second: exactly
one approval succeeds, the other gets a 409 with the reason in Chinese, and one UsedPrescription holds it. Runs on
SQLite (whose write lock makes the second wait, never fail with "database is locked") and PostgreSQL."""

from __future__ import annotations

import html
import re
import threading
import uuid
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, OpenerDirector, Request, build_opener

import pytest
from django.test import LiveServerTestCase

from opsdesk.orders.models import OrderEvent
from opsdesk.rules.models import RxReview, UsedPrescription
from opsdesk.test import PASSWORD, user_make
from tests.factories import OrderFactory, OrderLineFactory, image_bytes
from tests.rules.helpers import flagged, race

pytestmark = pytest.mark.postgres

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Pharmacist:
    """One browser's worth of state over plain HTTP: its own cookies (session, CSRF)."""

    def __init__(self, base: str, username: str) -> None:
        self.base, self.jar = base, CookieJar()
        self.opener: OpenerDirector = build_opener(HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
        match = TOKEN.search(page)
        assert match, "the login page has no CSRF token"
        form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)})
        landed = self.opener.open(Request(f"{base}/accounts/login/", data=form.encode()), timeout=30)
        assert "/accounts/login/" not in landed.geturl(), f"{username} was not logged in"

    def post(self, path: str, fields: dict[str, str], files: dict[str, bytes]) -> tuple[int, str]:
        """A multipart form post as htmx sends it: (status, body)."""
        csrf = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        boundary = uuid.uuid4().hex
        body = multipart(boundary, fields, files)
        request = Request(f"{self.base}{path}", data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": csrf, "HX-Request": "true",
            "Referer": f"{self.base}{path}"})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except HTTPError as exc:
            return exc.code, exc.read().decode()


def multipart(boundary: str, fields: dict[str, str], files: dict[str, bytes]) -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.png"\r\n'
              f"Content-Type: image/png\r\n\r\n".encode() + content + b"\r\n" for name, content in files.items()]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


class RacingApprovalsOverHttpTestCase(LiveServerTestCase):
    serialized_rollback = True  # keep the seeded channels across the flush

    def setUp(self) -> None:
        self.orders = []
        for n in range(2):
            order = OrderFactory(order_no=f"GW72{n}", has_rx=True)
            OrderLineFactory(order=order, line_no=1, rx=True, sku="RX-A", qty=1)
            self.orders.append(order)
        for n in range(2):
            user_make(role="pharmacist", username=f"wang{n}")
        self.pharmacists = [Pharmacist(self.live_server_url, f"wang{n}") for n in range(2)]

    def race(self, fields: dict[str, str], files: dict[str, bytes]) -> list[Any]:
        """Both requests leave together (one barrier), and both pass the service's friendly look-up before either
        writes (a second, in the server's request threads: tests.rules.helpers.race)."""
        leave = threading.Barrier(2, timeout=30)

        def approve(n: int) -> tuple[int, str]:
            leave.wait()
            path = f"/orders/official/{self.orders[n].order_no}/rx-review/"
            return self.pharmacists[n].post(path, {"decision": "approve", **fields}, files)

        return race(approve)

    def assert_one_wins(self, results: list[tuple[int, str]], message: str) -> None:
        self.assertTrue(all(isinstance(result, tuple) for result in results), results)
        statuses = sorted(status for status, _ in results)
        self.assertEqual(statuses, [200, 409], results)
        lost = next(html.unescape(body) for status, body in results if status == 409)
        self.assertIn(message, lost)
        self.assertNotIn("database is locked", lost)
        won = next(n for n, (status, _) in enumerate(results) if status == 200)
        self.assertEqual(UsedPrescription.objects.get().order, self.orders[won])
        self.assertEqual(list(RxReview.objects.values_list("order", flat=True)), [self.orders[won].pk])
        self.assertEqual(OrderEvent.objects.filter(kind="rx_review").count(), 1)
        self.assertEqual(flagged("rx_review"), {self.orders[1 - won].order_no})

    def test_the_second_of_two_racing_approvals_with_one_reference_gets_a_409(self) -> None:
        results = self.race({"prescription": "RX-HTTP-1"}, {})
        self.assert_one_wins(results, "处方编号 RX-HTTP-1 已用于另一订单")

    def test_the_second_of_two_racing_approvals_with_one_image_gets_a_409(self) -> None:
        results = self.race({}, {"image": image_bytes(colour="purple")})
        self.assert_one_wins(results, "处方图片 已用于另一订单")
