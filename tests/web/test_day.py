from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client

from opsdesk.checklist.models import SignOff
from opsdesk.lib.dates import SHANGHAI
from opsdesk.test import BaseTestCase, user_make
from opsdesk.web.fragments import CSRF_PLACEHOLDER
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)


class DayTestCase(BaseTestCase):
    def setUp(self) -> None:
        OrderFactory(order_no="GW-LATE", ship_by=AT - timedelta(hours=3))
        OrderFactory(order_no="GW-FINE", ship_by=AT + timedelta(days=2))

    def test_each_section_is_one_click_from_its_back_end(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/")
        for url, name in (("https://account.hupun.com/login", "万里牛"), ("https://www.yaofangwang.com/", "药房网"),
                          ("http://admin.syt.cn/index", "电商管理系统"), ("https://mms.pinduoduo.com/home", "拼多多")):
            self.assertContains(response, f'<a href="{url}" target="_blank" rel="noopener noreferrer">{name}</a>')

    def test_it_shows_the_checklist_with_deadlines_and_overdue_marks(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get("/", {"at": "2026-11-23T11:00"})
        self.assertContains(response, "关注异常订单")
        self.assertContains(response, "09:30")
        self.assertContains(response, "17:00")
        self.assertContains(response, "全天")
        # 09:30 and 10:00 items are past due at 11:00 and nobody signed them.
        self.assertContains(response, 'id="item-erp-abnormal" class="overdue"')
        self.assertContains(response, 'id="item-cod-zto" class=""')

    def test_the_queues_link_to_their_orders_with_live_counts(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get("/", {"at": "2026-11-23T11:00"})
        self.assertContains(response, 'href="/exceptions/ship_overdue/?at=2026-11-23T11%3A00"')
        queues = {row["code"]: row["count"] for row in response.context["queues"]}
        self.assertEqual(queues["ship_overdue"], 1)

    def test_at_is_only_honoured_for_staff(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/", {"at": "2020-01-01T08:00"})
        self.assertNotEqual(response.context["at"].year, 2020)

    def test_operators_see_sign_off_forms_and_pharmacists_do_not(self) -> None:
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/"), 'hx-post="/checklist/erp-abnormal/sign/"')
        self.client.force_login(self.pharmacist)
        self.assertNotContains(self.client.get("/"), 'hx-post="/checklist/erp-abnormal/sign/"')

    def test_a_table_rendered_for_someone_else_carries_the_visitors_own_csrf_token(self) -> None:
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/"), 'hx-post="/checklist/erp-abnormal/sign/"')
        other = Client(enforce_csrf_checks=True)
        other.force_login(user_make(role="operator", username="operator-2"))
        page = other.get("/").content.decode()
        self.assertNotIn(CSRF_PLACEHOLDER, page)
        form = page[page.index('action="/checklist/erp-abnormal/sign/"'):]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token
        response = other.post("/checklist/erp-abnormal/sign/", {"csrfmiddlewaretoken": token[1], "note": ""})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(SignOff.objects.get().user.username, "operator-2")

    def test_the_menu_follows_each_visitors_role(self) -> None:
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/"), 'href="/imports/"')
        self.client.force_login(self.service)
        self.assertNotContains(self.client.get("/"), 'href="/imports/"')

    def test_a_moment_asked_for_by_someone_not_staff_stays_out_of_the_shared_tiles(self) -> None:
        self.client.force_login(self.operator)
        self.assertNotContains(self.client.get("/", {"at": "2020-01-01T08:00"}), 'href="/exceptions/ship_overdue/?at=')
        self.client.force_login(self.admin)
        self.assertNotContains(self.client.get("/"), 'href="/exceptions/ship_overdue/?at=')
