"""Reissues: opening one never fails for a missing reissue SKU (a warning, filled in on the case), the SKU swap in
`case show`, and 安排补发 from a lost parcel opening the linked reissue case."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from opsdesk.aftersales.selectors import case_as_json
from opsdesk.aftersales.services import case_open, case_reissue_open, case_reissue_sku_set
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Product
from opsdesk.test import BaseTestCase, user_make
from tests.aftersales.helpers import sto_order, zto_order

pytestmark = pytest.mark.postgres


class CaseReissueTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        sto_order()

    def test_a_reissue_without_a_reissue_sku_opens_with_a_warning_and_takes_it_on_the_spot(self) -> None:
        case = case_open(type="reissue", order_no="201122-123456789012345", user=self.operator)
        shown = case_as_json(case)
        self.assertEqual([(x["sku"], x["reissue_sku"]) for x in shown["reissue_lines"]], [("SKU-ZTO-1", "")])
        self.assertEqual(shown["warnings"], ["商品 SKU-ZTO-1 没有补发商品编码: 请填写后再备注万里牛"])
        case_reissue_sku_set(case_id=case.pk, sku="SKU-ZTO-1", reissue_sku="BF-ZTO-1", user=self.operator)
        self.assertEqual(Product.objects.get(sku="SKU-ZTO-1").reissue_sku, "BF-ZTO-1")
        shown = case_as_json(case)
        self.assertEqual(shown["reissue_lines"][0]["reissue_sku"], "BF-ZTO-1")
        self.assertEqual(shown["warnings"], [])
        self.assertEqual(shown["history"][-1]["note"], "SKU-ZTO-1 → BF-ZTO-1")

    def test_filling_in_refuses_what_is_not_on_the_order_or_not_theirs(self) -> None:
        case = case_open(type="reissue", order_no="201122-123456789012345", user=self.operator)
        with self.assertRaisesMessage(Refused, "没有商品编码 SKU-OTHER"):
            case_reissue_sku_set(case_id=case.pk, sku="SKU-OTHER", reissue_sku="BF-1", user=self.operator)
        with self.assertRaisesMessage(Refused, "没有处理补发售后的权限"):
            case_reissue_sku_set(case_id=case.pk, sku="SKU-ZTO-1", reissue_sku="BF-1", user=self.service)
        with self.assertRaisesMessage(Refused, "补发商品编码"):
            case_reissue_sku_set(case_id=case.pk, sku="SKU-ZTO-1", reissue_sku="", user=self.operator)
        self.assertFalse(Product.objects.filter(sku="SKU-ZTO-1").exists())

    def test_the_cli_text_shows_the_sku_swap(self) -> None:
        case = case_open(type="reissue", order_no="SN200910027912111", user=self.operator)
        out = io.StringIO()
        call_command("case", "show", str(case.pk), stdout=out, stderr=io.StringIO())
        self.assertIn("  补发: SKU-STO-1 → BF-STO-1 板蓝根颗粒 ×1\n  补发: SKU-STO-2 → BF-STO-2 维生素C片 ×1\n",
                      out.getvalue())

    def test_a_lost_parcel_arranges_its_reissue_by_the_service_user_who_opened_it(self) -> None:
        lost = case_open(type="lost_parcel", order_no="SN200910027912111", amount="30", user=self.service)
        other = user_make(role="service", username="service-2")
        with self.assertRaisesMessage(Refused, "没有为售后单"):
            case_reissue_open(case_id=lost.pk, user=other)
        reissue = case_reissue_open(case_id=lost.pk, user=self.service)
        self.assertEqual((reissue.type, reissue.source_id, reissue.created_by), ("reissue", lost.pk, self.service))
        self.assertEqual(case_as_json(lost)["follow_ups"], [{"id": reissue.pk, "type": "reissue", "state": "opened"}])
        self.assertEqual(case_as_json(reissue)["source"]["id"], lost.pk)
        with self.assertRaisesMessage(Refused, f"已有进行中的补发售后 #{reissue.pk}"):
            case_reissue_open(case_id=lost.pk, user=self.operator)

    def test_only_a_lost_parcel_arranges_a_reissue(self) -> None:
        damaged = case_open(type="damaged", order_no="SN200910027912111", amount="30", qty=1, user=self.service)
        with self.assertRaisesMessage(Refused, "只有丢件可以安排补发"):
            case_reissue_open(case_id=damaged.pk, user=self.operator)
