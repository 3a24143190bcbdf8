"""`case_open`: what each type needs, refusals with a clear message, and nothing written when refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from opsdesk.aftersales.models import Case, CaseEvent, CaseFile
from opsdesk.aftersales.services import case_open
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderEvent, OrderStatus
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import sto_order, zto_order
from tests.factories import OrderFactory, image_bytes

pytestmark = pytest.mark.postgres

VALID_TAX_ID = "91350100M000100Y43"
PICTURE = image_bytes()


class CaseOpenTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.zto = zto_order()
        self.sto = sto_order()

    def assert_refused(self, message: str, **kwargs: object) -> None:
        with self.assertRaisesMessage(Refused, message):
            case_open(**{"user": self.service, **kwargs})  # type: ignore[arg-type]
        self.assertFalse(Case.objects.exists())
        self.assertFalse(CaseEvent.objects.exists())
        self.assertFalse(OrderEvent.objects.exists())

    def test_it_opens_a_case_with_its_history_and_an_order_event(self) -> None:
        case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="35", user=self.service)
        self.assertEqual((case.state, case.order, case.created_by), ("opened", self.zto, self.service))
        event = case.events.get()
        self.assertEqual((event.action, event.from_state, event.to_state, event.user), ("open", "", "opened", self.service))
        self.assertEqual(OrderEvent.objects.get(order=self.zto).text, f"售后 #{case.pk} 丢件: 已登记")

    def test_it_finds_the_order_by_its_erp_number(self) -> None:
        case = case_open(user=self.service, type="return_refund", order_no="XD200910000002")
        self.assertEqual((case.order, case.state), (self.sto, "requested"))

    def test_it_stores_screenshots_by_their_hash(self) -> None:
        case = case_open(user=self.service, type="damaged", order_no="SN200910027912111", amount="9", qty=1,
                         photos=[("/tmp/x/破损.png", PICTURE)])
        stored = CaseFile.objects.get(case=case)
        self.assertEqual(stored.name, "破损照片 破损.png")
        self.assertEqual(len(stored.sha256), 64)
        path = Path(settings.DATA_DIR) / stored.path
        self.assertEqual(path.read_bytes(), PICTURE)
        self.assertEqual(path.parent.parent.name, "cases")

    def test_it_refuses_a_missing_order(self) -> None:
        self.assert_refused("找不到订单 NOPE", type="lost_parcel", order_no="NOPE", amount="5")

    def test_it_refuses_claims_without_an_amount_and_damage_without_a_quantity(self) -> None:
        self.assert_refused("丢件需要金额 (--amount)", type="lost_parcel", order_no="201122-123456789012345")
        self.assert_refused("破损需要数量 (--qty)", type="damaged", order_no="201122-123456789012345", amount="5")
        self.assert_refused("金额无效", type="damaged", order_no="201122-123456789012345", amount="abc", qty=1)
        self.assert_refused("金额必须大于 0", type="lost_parcel", order_no="201122-123456789012345", amount="0")
        self.assert_refused("数量必须大于 0", type="damaged", order_no="201122-123456789012345", amount="5", qty=0)

    def test_it_refuses_bad_invoice_requests(self) -> None:
        base = {"type": "invoice", "order_no": "201122-123456789012345", "title": "示例公司",
                "tax_id": VALID_TAX_ID, "email": "a@example.com"}
        self.assert_refused("校验位错误", **{**base, "tax_id": "91350100M000100Y44"})
        self.assert_refused("需要抬头", **{**base, "title": " "})
        self.assert_refused("邮箱地址无效", **{**base, "email": "a@"})
        OrderFactory(order_no="GW2611230000777", erp_order_no="")
        self.assert_refused("需要万里牛订单号 (XD…)", **{**base, "order_no": "GW2611230000777"})

    def test_it_accepts_a_valid_invoice_request(self) -> None:
        case = case_open(type="invoice", order_no="201122-123456789012345", title="示例公司",
                         tax_id=VALID_TAX_ID.lower(), email="a@example.com", user=self.service)
        self.assertEqual((case.tax_id, case.invoice_email, case.state), (VALID_TAX_ID, "a@example.com", "requested"))

    def test_it_refuses_what_does_not_fit_the_order(self) -> None:
        OrderFactory(order_no="GW2611230000888", status=OrderStatus.AWAITING_SHIPMENT, tracking_no="")
        self.assert_refused("尚未发货", type="return_refund", order_no="GW2611230000888")
        self.assert_refused("没有快递单号", type="lost_parcel", order_no="GW2611230000888", amount="5")
        self.assert_refused("不放清单只用于官网订单", type="omit_packing_list", order_no="201122-123456789012345",
                            user=self.operator)
        self.assert_refused("未知售后类型", type="refund_everything", order_no="201122-123456789012345")

    def test_it_refuses_a_second_open_case_of_the_same_type(self) -> None:
        first = case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="5")
        with self.assertRaisesMessage(Refused, f"已有进行中的丢件售后 #{first.pk}"):
            case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="5")
        self.assertEqual(Case.objects.count(), 1)

    def test_it_refuses_roles_that_do_not_work_the_type(self) -> None:
        self.assert_refused("没有处理丢件售后的权限: 只有客服、管理员可以", type="lost_parcel",
                            order_no="201122-123456789012345", amount="5", user=self.pharmacist)
        self.assert_refused("没有处理补发售后的权限: 只有运营、管理员可以", type="reissue",
                            order_no="SN200910027912111", user=self.service)
        self.assertEqual(case_open(type="reissue", order_no="SN200910027912111", user=self.admin).state, "opened")
