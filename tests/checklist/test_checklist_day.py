"""`checklist_day`: the day's items with live counts, overdue marks and sign-offs."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from opsdesk.checklist.models import BackEnd, ChecklistItem, ChecklistRun, Section
from opsdesk.checklist.selectors import checklist_day
from opsdesk.checklist.services import checklist_sign
from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import AfterSales, Channel, OrderStatus, Payment
from opsdesk.rules.selectors import rule_queryset
from opsdesk.rules.services import rx_review
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres

DAY = date(2026, 11, 23)
AT_1030 = datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)


def by_code(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in payload["items"]}


class ChecklistDayTestCase(BaseTestCase):
    def test_at_10_30_the_0930_and_1000_items_are_overdue_and_the_1700_and_all_day_ones_not(self) -> None:
        items = checklist_day(day=DAY, at=AT_1030)["items"]
        by_due: dict[str | None, set[bool]] = {}
        for item in items:
            by_due.setdefault(item["due"], set()).add(item["overdue"])
        self.assertEqual(by_due, {"09:30": {True}, "10:00": {True}, "17:00": {False}, None: {False}})

    def test_at_09_00_nothing_is_overdue_and_after_midnight_the_all_day_items_are(self) -> None:
        early = checklist_day(day=DAY, at=datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
        self.assertFalse(any(item["overdue"] for item in early["items"]))
        late = by_code(checklist_day(day=DAY, at=datetime(2026, 11, 24, 0, 1, tzinfo=SHANGHAI)))
        self.assertTrue(late["market-complaints"]["overdue"])
        self.assertTrue(late["cod-sheet"]["overdue"])

    def test_it_has_the_interface_shape(self) -> None:
        payload = checklist_day(day=DAY, at=AT_1030)
        self.assertEqual(payload["date"], "2026-11-23")
        first = payload["items"][0]
        self.assertLessEqual(
            {"code", "section", "title", "due", "rule", "count", "overdue", "signed_off"}, set(first)
        )
        self.assertEqual((first["code"], first["due"], first["signed_off"]), ("erp-auto-audit", "09:30", None))
        self.assertIsNone(first["rule"])
        self.assertIsNone(first["count"])

    def test_the_default_items_cover_every_deadline_and_section_of_the_notes(self) -> None:
        items = checklist_day(day=DAY, at=AT_1030)["items"]
        sections = {(item["due"], item["section"]) for item in items}
        self.assertEqual(
            sections,
            {("09:30", "erp"), ("09:30", "yaofangwang"), ("10:00", "official"), (None, "marketplaces"),
             ("17:00", "cod")},
        )
        self.assertEqual(
            {item["rule"] for item in items} - {None},
            {"erp_exception", "not_allocated", "buyer_note", "tcm_spec", "cutoff_unshipped", "cutoff_due_today",
             "rx_review", "aftersales_pending", "stock_short", "unpaid_rx", "ship_overdue", "ship_due_soon",
             "returned_unrefunded", "cod_courier", "paid_to_push", "cod_to_push", "logistics_stale", "rx_wechat",
             "aftersale_expiring", "complaint_due"},
        )
        self.assertEqual(by_code({"items": items})["yfw-rx-review"]["channel"], "yaofangwang")
        self.assertEqual(by_code({"items": items})["market-aftersales"]["channels"], ["pdd", "pingan", "suning"])
        self.assertEqual(str(Section.COD.label), by_code({"items": items})["cod-sheet"]["section_title"])

    def test_counts_follow_the_rules_and_channel_items_count_only_their_channels(self) -> None:
        OrderFactory(channel_code="pdd", erp_abnormal=True)
        OrderFactory(channel_code="yaofangwang", order_no="YFW1", aftersales=AfterSales.PENDING)
        OrderFactory(channel_code="pdd", order_no="PDD1", aftersales=AfterSales.REFUNDING)
        OrderFactory(channel_code="jiage315", order_no="J1", aftersales=AfterSales.PENDING)
        OrderFactory(channel_code="suning", order_no="SN1", ship_by=datetime(2026, 11, 23, 8, tzinfo=SHANGHAI))
        OrderFactory(order_no="GW-LATE", ship_by=datetime(2026, 11, 23, 8, tzinfo=SHANGHAI))
        OrderFactory(channel_code="pdd", order_no="PDD-DONE", status=OrderStatus.SHIPPED,
                     ship_by=datetime(2026, 11, 23, 8, tzinfo=SHANGHAI))
        items = by_code(checklist_day(day=DAY, at=AT_1030))
        self.assertEqual(items["erp-abnormal"]["count"], 1)
        self.assertEqual(items["yfw-aftersales"]["count"], 1)
        self.assertEqual(items["market-aftersales"]["count"], 1)
        self.assertEqual(items["market-ship-overdue"]["count"], 1)
        for item in items.values():
            if item["rule"]:
                expected = rule_queryset(code=item["rule"], at=AT_1030)
                if item["channels"]:
                    expected = expected.filter(channel__code__in=item["channels"])
                self.assertEqual(item["count"], expected.count(), item["code"])

    def test_the_counting_steps_of_the_notes_have_their_rules(self) -> None:
        rules = {item["title"]: (item["rule"], item["due"], item["section"])
                 for item in checklist_day(day=DAY, at=AT_1030)["items"]}
        self.assertEqual(rules["发货订单前一天17:00之前订单是否已经发出"], ("cutoff_unshipped", "09:30", "yaofangwang"))
        self.assertEqual(rules["留意下午16点之前发出"], ("cutoff_due_today", "09:30", "yaofangwang"))
        self.assertEqual(rules["全部订单筛选待发货、平台收款"], ("paid_to_push", "10:00", "official"))
        self.assertEqual(rules["推到待发货中"], ("paid_to_push", "10:00", "official"))
        self.assertEqual(rules["待发货的货到付款订单数, 推到配货中"], ("cod_to_push", "17:00", "cod"))
        self.assertEqual(rules["物流一直未更新: 顾客投诉之前登记丢件"], ("logistics_stale", None, "marketplaces"))

    def test_the_yaofangwang_batch_and_the_official_push_steps_count(self) -> None:
        paid = datetime(2026, 11, 22, 16, 30, tzinfo=SHANGHAI)
        OrderFactory(channel_code="yaofangwang", paid_at=paid, ship_by=None)
        OrderFactory(channel_code="yaofangwang", paid_at=datetime(2026, 11, 20, 9, tzinfo=SHANGHAI), ship_by=None)
        for _ in range(3):
            OrderFactory(payment=Payment.COD, paid_at=None)
        items = by_code(checklist_day(day=DAY, at=AT_1030))
        self.assertEqual((items["yfw-cutoff"]["count"], items["yfw-ship-before-16"]["count"]), (2, 1))
        self.assertEqual(items["cod-push-allocating"]["count"], 3)
        self.assertEqual(items["official-awaiting-paid"]["count"], 0)

    def test_the_push_steps_count_only_the_orders_free_to_push_now(self) -> None:
        OrderFactory(payment=Payment.PLATFORM_PAID)
        OrderFactory(payment=Payment.PLATFORM_PAID, has_rx=True)  # waits for the pharmacist (处方单审核)
        approved = OrderFactory(payment=Payment.COD, paid_at=None, has_rx=True)
        OrderFactory(payment=Payment.COD, paid_at=None, has_rx=True)
        rx_review(order=approved, user=self.pharmacist, decision="approve", prescription="RX-CHECK-1")
        items = by_code(checklist_day(day=DAY, at=AT_1030))
        self.assertEqual([items[code]["count"] for code in ("official-awaiting-paid", "official-push",
                                                            "cod-push-allocating")], [1, 1, 1])

    def test_each_section_links_to_its_back_ends_as_the_notes_list_them(self) -> None:
        backends = {section["section"]: [(link["name"], link["url"]) for link in section["links"]]
                    for section in checklist_day(day=DAY, at=AT_1030)["backends"]}
        self.assertEqual(backends["erp"], [("万里牛", "https://account.hupun.com/login")])
        self.assertEqual(backends["yaofangwang"], [("药房网", "https://www.yaofangwang.com/")])
        self.assertEqual(backends["official"], [("电商管理系统", "http://admin.syt.cn/index")])
        self.assertEqual(backends["marketplaces"], [
            ("平安好医生", "https://www.jk.cn/sell/"), ("苏宁", "https://mpassport.suning.com/ids/login"),
            ("拼多多", "https://mms.pinduoduo.com/home"),
        ])
        self.assertEqual(backends["cod"], [("电商管理系统", "http://admin.syt.cn/index")])

    def test_a_login_url_edited_in_the_admin_shows_at_once(self) -> None:
        Channel.objects.filter(code="yaofangwang").update(login_url="https://yfw.example.com/login")
        BackEnd.objects.create(section="yaofangwang", name="药房网商家中心", url="https://seller.example.com/")
        [section] = [s for s in checklist_day(day=DAY, at=AT_1030)["backends"] if s["section"] == "yaofangwang"]
        self.assertEqual([link["url"] for link in section["links"]],
                         ["https://seller.example.com/", "https://yfw.example.com/login"])

    def test_a_signoff_sticks_and_shows_who_when_and_the_note(self) -> None:
        signed_at = datetime(2026, 11, 23, 9, 12, tzinfo=SHANGHAI)
        checklist_sign(code="erp-abnormal", user=self.operator, day=DAY, note="3 单已处理", at=signed_at)
        for _ in range(2):
            item = by_code(checklist_day(day=DAY, at=AT_1030))["erp-abnormal"]
            self.assertEqual(item["signed_off"], {"by": "operator", "at": "2026-11-23T09:12:00+08:00", "note": "3 单已处理"})
            self.assertFalse(item["overdue"])
        other_day = by_code(checklist_day(day=date(2026, 11, 24), at=datetime(2026, 11, 24, 10, 30, tzinfo=SHANGHAI)))
        self.assertIsNone(other_day["erp-abnormal"]["signed_off"])
        self.assertTrue(other_day["erp-abnormal"]["overdue"])

    def test_the_run_is_created_on_first_look_once(self) -> None:
        self.assertFalse(ChecklistRun.objects.filter(day=DAY).exists())
        checklist_day(day=DAY, at=AT_1030)
        checklist_day(day=DAY, at=AT_1030)
        self.assertEqual(ChecklistRun.objects.filter(day=DAY).count(), 1)

    def test_admin_edits_show_up_and_retired_items_stay_only_where_signed(self) -> None:
        ChecklistItem.objects.create(code="extra-check", section="cod", title="新增检查", due=time(16, 0), sort=5)
        checklist_sign(code="cod-erp-notes", user=self.service, day=DAY, at=AT_1030)
        ChecklistItem.objects.filter(code__in=["cod-erp-notes", "market-complaints"]).update(active=False)
        items = by_code(checklist_day(day=DAY, at=AT_1030))
        self.assertEqual(items["extra-check"]["due"], "16:00")
        self.assertIn("cod-erp-notes", items)
        self.assertNotIn("market-complaints", items)
        self.assertNotIn("cod-erp-notes", by_code(checklist_day(day=date(2026, 11, 24), at=AT_1030)))
