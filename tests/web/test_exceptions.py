from __future__ import annotations

import warnings
from datetime import datetime, timedelta

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdesk.aftersales.models import Case
from opsdesk.lib.dates import SHANGHAI, now
from opsdesk.orders.models import OrderStatus
from opsdesk.rules.selectors import RULES
from opsdesk.test import BaseTestCase
from opsdesk.web.cache import desk_cache
from tests.factories import OrderFactory, OrderLineFactory

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
        self.assertEqual(len(response.context["queues"]), len(RULES))

    def test_unknown_rules_are_404(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.client.get("/exceptions/nope/").status_code, 404)

    def test_an_unknown_channel_filter_is_404_and_no_cache_entry(self) -> None:
        self.client.force_login(self.operator)
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            for channel in ("bogus", "a b\x01", "x" * 300):
                for url in ("/exceptions/ship_overdue/", "/exceptions/ship_overdue/xlsx/"):
                    self.assertEqual(self.client.get(url, {"channel": channel}).status_code, 404, (url, channel[:10]))
        self.assertEqual([w for w in warned if issubclass(w.category, CacheKeyWarning)], [])
        self.assertIsNone(desk_cache().get("queue:ship_overdue:bogus:0"))

    def test_queue_titles_follow_the_visitors_language_and_messages_keep_the_interfaces(self) -> None:
        self.client.force_login(self.operator)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertContains(self.client.get("/"), "Overdue shipment")
        response = self.client.get("/exceptions/ship_overdue/")
        self.assertContains(response, "<title>Overdue shipment")
        self.assertContains(response, "仍未发货")


class QueueRowFactsTestCase(BaseTestCase):
    """Each row shows the facts its rule is about, read for the whole page at once."""

    def test_it_shows_the_lines_with_their_tcm_marks_on_a_tcm_queue(self) -> None:
        order = OrderFactory(order_no="GW-TCM-1", has_tcm=True)
        OrderLineFactory(order=order, line_no=1, sku="TCM-01", name="当归", spec="10g", qty=2, tcm=True)
        self.client.force_login(self.operator)
        response = self.client.get("/exceptions/tcm_spec/")
        self.assertContains(response, "TCM-01 当归 10g ×2")
        self.assertContains(response, '<span class="badge tcm">中药</span>')

    def test_it_shows_the_buyer_message_on_the_notes_queue(self) -> None:
        OrderFactory(order_no="GW-NOTE-1", buyer_message="请周六送货, 工作日家里没人", seller_note="已电话确认")
        self.client.force_login(self.operator)
        response = self.client.get("/exceptions/buyer_note/")
        self.assertContains(response, "买家留言: 请周六送货, 工作日家里没人")
        self.assertContains(response, "客户备注: 已电话确认")

    def test_it_shows_allocation_courier_and_tracking_on_the_overdue_queue(self) -> None:
        OrderFactory(order_no="GW-LATE-9", ship_by=AT - timedelta(hours=1), allocation="partial",
                     allocation_raw="部分分配", warehouse="南京仓", courier="sto", courier_raw="申通快递",
                     tracking_no="773000000001")
        self.client.force_login(self.admin)
        response = self.client.get("/exceptions/ship_overdue/", {"at": "2026-11-23T11:00"})
        self.assertContains(response, "WMS: 部分分配 南京仓")
        self.assertContains(response, "快递: 申通快递 773000000001")

    def test_it_reads_a_page_of_facts_in_as_many_queries_as_one_row(self) -> None:
        def queries_for(count: int, channel: str) -> int:
            for n in range(count):
                order = OrderFactory(order_no=f"Q{count}-{n}", ship_by=AT - timedelta(hours=1), channel_code=channel)
                OrderLineFactory(order=order, line_no=1)
                OrderLineFactory(order=order, line_no=2)
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get("/exceptions/ship_overdue/", {"at": "2026-11-23T11:00", "channel": channel})
            self.assertEqual(len(response.context["page"].rows), count)
            return len(captured)

        self.client.force_login(self.admin)
        self.assertEqual(queries_for(1, "pdd"), queries_for(30, "suning"))

    def test_it_offers_pharmacists_the_review_and_others_not(self) -> None:
        OrderFactory(order_no="GW-RX-1", has_rx=True)
        self.client.force_login(self.pharmacist)
        self.assertContains(self.client.get("/exceptions/rx_review/"), 'href="/orders/official/GW-RX-1/#rx-review"')
        self.client.force_login(self.service)
        self.assertNotContains(self.client.get("/exceptions/rx_review/"), "#rx-review")


class LogisticsStaleQueueTestCase(BaseTestCase):
    """logistics_stale's queue offers 登记丢件: the lost-parcel case, its description prefilled."""

    def setUp(self) -> None:
        shipped = now() - timedelta(days=5)
        self.order = OrderFactory(order_no="GW-STALE", status=OrderStatus.SHIPPED, shipped_at=shipped,
                                  courier="zto", courier_raw="中通快递", tracking_no="75312340000")

    def test_service_registers_the_stale_parcel_as_lost_with_the_description_prefilled(self) -> None:
        self.client.force_login(self.service)
        response = self.client.get("/exceptions/logistics_stale/")
        self.assertContains(response, 'action="/orders/official/GW-STALE/cases/"')
        self.assertContains(response, "登记丢件")
        # The notes' 暂记丢件 + 描述: a person's words for the courier group, which they may add to, not the queue's.
        note = "物流一直未更新"
        self.assertContains(response, f'name="note" size="16" value="{note}"')
        self.assertContains(response, 'name="amount" size="7" required value="100.00"')
        opened = self.client.post("/orders/official/GW-STALE/cases/",
                                  {"type": "lost_parcel", "note": note, "amount": "100.00"})
        case = Case.objects.get(order=self.order)
        self.assertRedirects(opened, f"/cases/{case.pk}/", fetch_redirect_response=False)
        self.assertEqual((case.type, case.note), ("lost_parcel", note))

    def test_a_pharmacist_sees_the_queue_without_the_button(self) -> None:
        self.client.force_login(self.pharmacist)
        response = self.client.get("/exceptions/logistics_stale/")
        self.assertContains(response, "GW-STALE")
        self.assertNotContains(response, "登记丢件")
