"""`opsdesk case show|send [--reveal]`: the receiver's phone and address are masked as on the desk's case page, in
the text and in `--json` (same shape); `--reveal --user U` shows them and logs the look on the order exactly as the
desk's reveal does."""

from __future__ import annotations

import json

import pytest
from django.core.management.base import CommandError

from opsdesk.aftersales.services import case_advance, case_open
from opsdesk.core.services import user_deactivate
from opsdesk.orders.models import OrderEvent
from opsdesk.orders.services import PHONE_REVEALED
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import case_cli, sto_order, zto_order

pytestmark = pytest.mark.postgres

PHONE, STREET, MASKED = "13900000000", "示例路1号1单元101", "139****0000"


class CaseShowRevealTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = zto_order()
        self.case = case_open(type="lost_parcel", order_no=self.order.order_no, amount="5", user=self.service)

    def reveals(self) -> list[OrderEvent]:
        return list(OrderEvent.objects.filter(order=self.order, kind=PHONE_REVEALED))

    def test_show_masks_the_phone_and_address_in_text_and_json(self) -> None:
        text = case_cli("show", str(self.case.pk), as_json=False)
        data = case_cli("show", str(self.case.pk))
        for shown in (text, json.dumps(data, ensure_ascii=False)):
            self.assertNotIn(PHONE, shown)
            self.assertNotIn(STREET, shown)
            self.assertIn(MASKED, shown)
        self.assertIn("--reveal", text)
        self.assertFalse(data["revealed"])
        self.assertEqual(self.reveals(), [])

    def test_every_command_that_prints_the_case_masks_it(self) -> None:
        sto = case_open(type="return_refund", order_no=sto_order().order_no, user=self.service)
        case_advance(case_id=sto.pk, to_state="approved", user=self.service)
        outputs = [
            case_cli("open", "damaged", self.order.order_no, "--amount", "3", "--qty", "1", "--user", "service"),
            case_cli("advance", str(self.case.pk), "--to", "reported", "--user", "service"),
            case_cli("send", str(sto.pk), "--user", "service"),
            case_cli("send", str(sto.pk), "--user", "service", as_json=False),
            case_cli("list"),
        ]
        for shown in outputs:
            text = shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)
            self.assertNotIn(PHONE, text)
            self.assertNotIn("13700000000", text)
            self.assertNotIn("示例大道2号", text)
        self.assertIn("137****0000", outputs[3])
        self.assertEqual(OrderEvent.objects.filter(kind=PHONE_REVEALED).count(), 0)

    def test_reveal_shows_the_full_values_and_logs_it_as_the_desk_does(self) -> None:
        data = case_cli("show", str(self.case.pk), "--reveal", "--user", "service")
        shown = json.dumps(data, ensure_ascii=False)
        self.assertIn(PHONE, shown)
        self.assertIn(STREET, shown)
        self.assertTrue(data["revealed"])
        [event] = self.reveals()
        self.assertEqual(event.user, self.service)
        self.assertEqual(event.text, f"查看了收货人手机号 (售后 #{self.case.pk} 的消息, 含收货地址)")
        self.client.force_login(self.operator)
        self.client.post(f"/cases/{self.case.pk}/reveal/")
        desk = self.reveals()[-1]
        self.assertEqual((desk.kind, desk.text), (event.kind, event.text))

    def test_send_reveal_shows_the_texts_to_copy_in_full(self) -> None:
        sto = case_open(type="return_refund", order_no=sto_order().order_no, user=self.service)
        case_advance(case_id=sto.pk, to_state="approved", user=self.service)
        text = case_cli("send", str(sto.pk), "--reveal", "--user", "service", as_json=False)
        self.assertIn("13700000000", text)
        self.assertEqual(OrderEvent.objects.filter(order=sto.order, kind=PHONE_REVEALED).count(), 1)

    def test_reveal_needs_a_user_who_may_see_phones(self) -> None:
        with self.assertRaisesMessage(CommandError, "--reveal 需要 --user"):
            case_cli("show", str(self.case.pk), "--reveal")
        user_deactivate(username="operator")
        with self.assertRaisesMessage(CommandError, "已停用"):
            case_cli("show", str(self.case.pk), "--reveal", "--user", "operator")
        self.assertEqual(self.reveals(), [])
