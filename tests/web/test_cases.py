from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from opsdesk.aftersales.models import Case, SendRecord
from opsdesk.orders.models import Courier, OrderStatus, Product
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import smtp_server, sto_order
from tests.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.postgres

HTMX = {"HTTP_HX_REQUEST": "true"}


class CasesTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(
            order_no="GW-SHIPPED-1", status=OrderStatus.SHIPPED, courier=Courier.ZTO, courier_raw="中通快递",
            tracking_no="73100000000001", receiver_phone="13600001234",
        )
        OrderLineFactory(order=self.order, line_no=1)

    def _open(self, case_type: str, **fields: str) -> Case:
        response = self.client.post(f"/orders/official/{self.order.order_no}/cases/", {"type": case_type, **fields})
        case = Case.objects.get(type=case_type)
        self.assertRedirects(response, f"/cases/{case.pk}/", fetch_redirect_response=False)
        return case

    def test_service_opens_a_return_and_sees_messages_to_copy(self) -> None:
        self.client.force_login(self.service)
        self.assertContains(self.client.get("/orders/official/GW-SHIPPED-1/"), "新建售后单")
        case = self._open("return_refund")
        page = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(page, "麻烦拦截退回")
        self.assertContains(page, "→ QQ群 → 上元堂对接群")  # the notes: 中通报备: QQ群 → 上元堂对接群
        self.assertContains(page, 'data-copy="message-1"')
        self.assertContains(page, "73100000000001")
        self.assertContains(self.client.get("/cases/"), f'href="/cases/{case.pk}/"')

    def test_advance_moves_the_case_to_an_allowed_state(self) -> None:
        self.client.force_login(self.service)
        case = self._open("return_refund")
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), 'value="approved"')
        self.client.post(f"/cases/{case.pk}/advance/", {"state": "approved"})
        case.refresh_from_db()
        self.assertEqual(case.state, "approved")
        response = self.client.post(f"/cases/{case.pk}/advance/", {"state": "settled"}, follow=True)
        self.assertContains(response, "不能改为")

    def test_the_send_button_shows_only_where_something_is_sent(self) -> None:
        self.client.force_login(self.service)
        lost = self._open("lost_parcel", amount="35")  # a claim e-mail
        self.assertContains(self.client.get(f"/cases/{lost.pk}/"), "发送 (邮件 / 群机器人)")
        complaint = self._open("complaint", note="催发货", deadline="2026-11-23T18:00")  # nothing OpsDesk sends
        self.assertNotContains(self.client.get(f"/cases/{complaint.pk}/"), "发送 (邮件 / 群机器人)")

    def test_send_shows_why_it_failed(self) -> None:
        self.client.force_login(self.service)
        case = self._open("lost_parcel", amount="35")
        response = self.client.post(f"/cases/{case.pk}/send/", **HTMX)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response["HX-Retarget"], "#send-result")
        self.assertContains(response, "发送失败", status_code=409)
        self.assertContains(response, "SMTP", status_code=409)

    def test_a_refused_open_says_why_on_the_order_page(self) -> None:
        self.client.force_login(self.service)
        response = self.client.post("/orders/official/GW-SHIPPED-1/cases/", {"type": "lost_parcel"}, follow=True)
        self.assertFalse(Case.objects.exists())
        self.assertContains(response, "GW-SHIPPED-1")
        self.assertContains(response, 'class="msg error"')

    def test_pharmacists_may_not_open_cases(self) -> None:
        self.client.force_login(self.pharmacist)
        self.assertNotContains(self.client.get("/orders/official/GW-SHIPPED-1/"), "新建售后单")
        response = self.client.post("/orders/official/GW-SHIPPED-1/cases/", {"type": "return_refund"})
        self.assertEqual(response.status_code, 403)

    def test_an_unknown_case_is_404_to_look_at_send_or_advance(self) -> None:
        self.client.force_login(self.service)
        self.assertEqual(self.client.get("/cases/99999/").status_code, 404)
        self.assertEqual(self.client.post("/cases/99999/send/", **HTMX).status_code, 404)
        self.assertEqual(self.client.post("/cases/99999/advance/", {"state": "approved"}).status_code, 404)


def run_queued() -> int:
    """What the worker does with each queued task (django-tasks-db rows), here inside the test's transaction."""
    rows = list(DBTaskResult.objects.ready())
    for row in rows:
        row.claim("test-worker")
        result = row.task_result
        row.set_successful(row.task.call(*result.args, **result.kwargs))
    return len(rows)


class CaseSendQueueTestCase(BaseTestCase):
    """The send button queues `aftersales.tasks.case_send`; the page polls it and shows the outcome."""

    def setUp(self) -> None:
        sto_order()
        self.client.force_login(self.service)

    def _damaged(self) -> Case:
        response = self.client.post("/orders/suning/SN200910027912111/cases/",
                                    {"type": "damaged", "amount": "20", "qty": "1"})
        self.assertEqual(response.status_code, 302)
        return Case.objects.get(type="damaged")

    def test_the_send_runs_in_the_worker_and_the_page_polls_until_it_is_done(self) -> None:
        case = self._damaged()
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), "没有交易截图")
        with smtp_server() as (sink, mailers), override_settings(MAILERS=mailers, SMTP_ENABLED=True):
            queued = self.client.post(f"/cases/{case.pk}/send/", **HTMX)
            self.assertContains(queued, "排队中")
            [poll] = re.findall(r'hx-get="(/cases/\d+/send/[^"]+/)"', queued.content.decode())
            self.assertContains(self.client.get(poll), 'hx-trigger="every 1s"')
            self.assertEqual(sink.received, [])
            self.assertEqual(run_queued(), 1)
            done = self.client.get(poll)
        self.assertEqual(len(sink.received), 1)
        self.assertContains(done, "已发送: 邮件 → claims-required@example.com")
        self.assertContains(done, 'id="case-sends" hx-swap-oob="true"')
        self.assertNotContains(done, "every 1s")
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")
        self.assertEqual(self.client.get(f"/cases/{case.pk + 1}/send/{poll.split('/')[-2]}/").status_code, 404)

    def test_an_unknown_send_shows_for_a_person_to_check(self) -> None:
        case = self._damaged()
        send = SendRecord.objects.create(case=case, channel="email", target="claim", detail="claims-required@example.com",
                                         state="unknown", error="理赔邮件已交给邮件服务器但没有确认", at=case.created_at)
        page = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(page, "结果未知, 待人工确认")
        self.assertContains(page, f'action="/cases/{case.pk}/sends/{send.pk}/checked/"')
        self.client.post(f"/cases/{case.pk}/sends/{send.pk}/checked/", {"delivered": "1"})
        send.refresh_from_db()
        self.assertEqual(send.state, "sent")
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")


class CaseReissueWebTestCase(BaseTestCase):
    def setUp(self) -> None:
        sto_order()
        Product.objects.filter(sku="SKU-STO-2").update(reissue_sku="")

    def test_a_lost_parcel_offers_the_reissue_and_the_reissue_page_takes_the_missing_sku(self) -> None:
        self.client.force_login(self.service)
        self.client.post("/orders/suning/SN200910027912111/cases/", {"type": "lost_parcel", "amount": "30"})
        lost = Case.objects.get(type="lost_parcel")
        self.assertContains(self.client.get(f"/cases/{lost.pk}/"), f'action="/cases/{lost.pk}/reissue/"')
        response = self.client.post(f"/cases/{lost.pk}/reissue/")
        reissue = Case.objects.get(type="reissue")
        self.assertRedirects(response, f"/cases/{reissue.pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get(f"/cases/{lost.pk}/"), f'href="/cases/{reissue.pk}/"')
        self.client.force_login(self.operator)
        page = self.client.get(f"/cases/{reissue.pk}/")
        self.assertContains(page, "<td>SKU-STO-1</td><td>→</td><td>BF-STO-1</td>", html=False)
        self.assertContains(page, "商品 SKU-STO-2 没有补发商品编码")
        self.assertContains(page, f'action="/cases/{reissue.pk}/reissue-sku/"')
        self.client.post(f"/cases/{reissue.pk}/reissue-sku/", {"sku": "SKU-STO-2", "reissue_sku": "BF-STO-2X"})
        page = self.client.get(f"/cases/{reissue.pk}/")
        self.assertContains(page, "<td>BF-STO-2X</td>")
        self.assertNotContains(page, "没有补发商品编码")
