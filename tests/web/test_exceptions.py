from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from opsdesk.lib.dates import SHANGHAI
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

AT = datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)


class QueueTestCase(BaseTestCase):
    def setUp(self) -> None:
        for n in range(60):
            OrderFactory(order_no=f"GW-LATE-{n:02d}", ship_by=AT - timedelta(minutes=n + 1))
        OrderFactory(channel_code="pdd", order_no="261123-LATE", ship_by=AT - timedelta(hours=5))

    def test_a_queue_lists_its_orders_with_message_since_and_severity(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get("/exceptions/ship_overdue/", {"at": "2026-11-23T11:00"})
        self.assertContains(response, "超时未发货")
        self.assertContains(response, 'href="/orders/pdd/261123-LATE/"')
        self.assertContains(response, "2026-11-23 06:00")
        self.assertContains(response, '<span class="badge high">高</span>')
        self.assertEqual(len(response.context["page"].rows), 50)
        self.assertTrue(response.context["page"].has_next)

    def test_the_second_page_and_the_channel_filter(self) -> None:
        self.client.force_login(self.admin)
        second = self.client.get("/exceptions/ship_overdue/", {"at": "2026-11-23T11:00", "page": "2"})
        self.assertEqual(len(second.context["page"].rows), 11)
        pdd = self.client.get("/exceptions/ship_overdue/", {"at": "2026-11-23T11:00", "channel": "pdd"})
        self.assertEqual([flag.order_no for flag in pdd.context["page"].rows], ["261123-LATE"])

    def test_the_queue_index_counts_every_rule(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/exceptions/")
        self.assertContains(response, 'href="/exceptions/rx_review/"')
        self.assertEqual(len(response.context["queues"]), 13)

    def test_unknown_rules_are_404(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get("/exceptions/nope/").status_code, 404)

    def test_queue_titles_follow_the_visitors_language_and_messages_keep_the_interfaces(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertContains(self.client.get("/"), "Overdue shipment")
        response = self.client.get("/exceptions/ship_overdue/")
        self.assertContains(response, "<title>Overdue shipment")
        self.assertContains(response, "仍未发货")
