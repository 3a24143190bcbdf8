"""Property: no value in any form field or query parameter makes the desk answer 500. Hypothesis picks a route
of the desk (every pattern in opsdesk/web/urls.py, its path filled with real objects), GET or POST, a role, and
values for the parameters the desk reads (the `name=` of every template's fields and every request.GET/POST key
of the views), from far-off dates and 64-bit numbers to NUL bytes and long text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from opsdesk.aftersales.services import case_open
from opsdesk.core.roles import ROLES
from opsdesk.test import user_make
from opsdesk.web import urls
from tests.aftersales.helpers import zto_order

pytestmark = pytest.mark.postgres

WEB = Path(urls.__file__).parent
NAMES = sorted(
    {name for path in WEB.glob("templates/**/*.html") for name in re.findall(r'name="([a-z_]+)"', path.read_text())}
    | {name for path in WEB.glob("views/*.py")
       for name in re.findall(r'request\.(?:GET|POST)(?:\.get|\.getlist)?[\[(]"([a-z_]+)"', path.read_text())}
    | {"q", "page", "status", "at", "date", "amount", "qty"}
)
NASTY = [
    "9999-12-31", "0001-01-01", "9999-12-31T23:00", "2026-02-30", "9223372036854775807", "-9223372036854775809",
    "99999999999999999999", "1e999", "-1", "0", "NaN", "Infinity", "\x00", "a\x00b", "长" * 400, "'; DROP TABLE x;--",
    "<script>", "%", "_", "\\", "\u200b", "\ud7ff", "13800000000",
]
VALUES = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=60), st.integers().map(str),
    st.dates().map(str), st.datetimes().map(lambda value: value.isoformat()),
)
PARAMS = st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6)


def routes(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every route of the desk as a template like 'orders/<str:channel>/<str:order_no>/'."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


ROUTES = routes(urls.urlpatterns)


class No500TestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.users = {role: user_make(role=role) for role in ROLES}
        order = zto_order()
        case = case_open(type="lost_parcel", order_no=order.order_no, amount="5", user=cls.users["service"])
        cls.path_values = {
            "channel": order.channel.code, "order_no": order.order_no, "case_id": str(case.pk),
            "rule": "ship_overdue", "code": "erp-abnormal", "send_id": "1", "file_id": "1", "task_id": "1",
            "result_id": "x", "upload_id": "00000000-0000-0000-0000-000000000000",
        }

    def url(self, route: str) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: self.path_values.get(match[1], "1"), route)

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(route=st.sampled_from(ROUTES), post=st.booleans(), role=st.sampled_from(sorted(ROLES)), params=PARAMS,
           htmx=st.booleans())
    def test_no_parameter_value_answers_500(self, route: str, post: bool, role: str, params: dict[str, str],
                                            htmx: bool) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(self.users[role])
        headers = {"HX-Request": "true"} if htmx else {}
        url = self.url(route)
        response = client.post(url, params, headers=headers) if post else client.get(url, params, headers=headers)
        self.assertLess(response.status_code, 500, f"{'POST' if post else 'GET'} {url} {params!r} as {role}")

    def test_the_routes_and_names_were_found(self) -> None:
        self.assertIn("orders/<str:channel>/<str:order_no>/cases/", ROUTES)
        self.assertTrue({"amount", "qty", "date", "page", "at", "q"} <= set(NAMES))
