"""`case_advance` and the ERP's return note: each type's states, refusals naming the allowed next states,
and a history that records who moved what when."""

from __future__ import annotations

import pytest

from opsdesk.aftersales import machine
from opsdesk.aftersales.models import CaseEvent, CaseType
from opsdesk.aftersales.selectors import case_as_json
from opsdesk.aftersales.services import case_advance, case_open, case_sync_returns
from opsdesk.core.roles import system_user
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Order, OrderEvent
from opsdesk.orders.returns import order_return_ref
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import sto_order, zto_order
from tests.factories import ErpAftersaleFactory
from tests.rules.helpers import flagged

pytestmark = pytest.mark.postgres


class CaseAdvanceTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.zto = zto_order()
        sto_order()

    def test_a_return_runs_through_its_states_in_order(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        for state in ("approved", "intercept_reported", "returned", "refunded"):
            case = case_advance(case_id=case.pk, to_state=state, user=self.service, note=f"到 {state}")
        history = [(e.from_state, e.to_state, e.user) for e in CaseEvent.objects.filter(case=case)]
        self.assertEqual(history[1:], [
            ("requested", "approved", self.service), ("approved", "intercept_reported", self.service),
            ("intercept_reported", "returned", self.service), ("returned", "refunded", self.service),
        ])
        self.assertEqual(OrderEvent.objects.filter(order=self.zto, kind="case_advance").count(), 4)
        self.assertEqual(case_as_json(case)["next_states"], [])

    def test_a_return_is_back_by_the_erp_mark_or_by_a_persons_note(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with self.assertRaisesMessage(Refused, "万里牛还没有 售后处理:新建售后单【…】, 退货尚未确认入库"):
            case_advance(case_id=case.pk, to_state="returned", user=self.service, note="  ")
        with self.assertRaisesMessage(Refused, "退货尚未确认入库"):
            case_advance(case_id=case.pk, to_state="returned", user=self.service, note="\u200b\u2060 ")
        self.assertEqual(CaseEvent.objects.filter(case=case).last().to_state, "approved")  # type: ignore[union-attr]
        case = case_advance(case_id=case.pk, to_state="returned", user=self.service, note="仓库电话确认已收到")
        self.assertEqual((case.state, case.events.last().note), ("returned", "仓库电话确认已收到"))  # type: ignore[union-attr]

    def test_with_the_erp_mark_no_note_is_needed(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        ErpAftersaleFactory(erp_order_no="XD201122000001", note="售后处理:新建售后单【SH2611230001】")
        self.assertEqual(case_advance(case_id=case.pk, to_state="returned", user=self.service).state, "returned")

    def test_an_illegal_move_names_the_allowed_ones(self) -> None:
        case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="5", user=self.service)
        with self.assertRaisesMessage(Refused, "不能改为 settled; 可选: reported (已报备快递群)、claimed (已发理赔邮件)、cancelled"):
            case_advance(case_id=case.pk, to_state="settled", user=self.service)
        with self.assertRaisesMessage(Refused, "不能改为 bogus"):
            case_advance(case_id=case.pk, to_state="bogus", user=self.service)
        case.refresh_from_db()
        self.assertEqual(case.state, "opened")
        self.assertEqual(case.events.count(), 1)

    def test_a_finished_case_goes_nowhere(self) -> None:
        case = case_open(user=self.service, type="invoice", order_no="XD201122000001", title="示例公司", tax_id="91350100M000100Y43",
                         email="a@example.com")
        case_advance(case_id=case.pk, to_state="issued", user=self.service)
        with self.assertRaisesMessage(Refused, "可选: 无 (已结束)"):
            case_advance(case_id=case.pk, to_state="requested", user=self.service)

    def test_it_needs_a_user_with_the_right_role(self) -> None:
        case = case_open(type="reissue", order_no="SN200910027912111", user=self.operator)
        with self.assertRaisesMessage(Refused, "请给出操作人"):
            case_advance(case_id=case.pk, to_state="erp_noted", user=None)
        with self.assertRaisesMessage(Refused, "没有处理补发售后的权限"):
            case_advance(case_id=case.pk, to_state="erp_noted", user=self.service)
        with self.assertRaisesMessage(Refused, "没有售后单 #999999"):
            case_advance(case_id=999999, to_state="erp_noted", user=self.operator)
        self.assertEqual(case_advance(case_id=case.pk, to_state="erp_noted", user=self.operator).state, "erp_noted")

    def test_every_state_of_every_type_is_reachable_from_the_first(self) -> None:
        for case_type in CaseType.values:
            reachable, todo = set(), [machine.first_state(case_type)]
            while todo:
                state = todo.pop()
                reachable.add(state)
                todo.extend(s for s in machine.next_states(case_type, state) if s not in reachable)
            self.assertEqual(reachable, set(machine.states_of(case_type)), case_type)

    def test_the_erp_return_note_moves_the_case_to_returned(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        ErpAftersaleFactory(erp_order_no="XD201122000001", note="售后处理:新建售后单【SH2611230001】")
        self.assertEqual(case_sync_returns(), [])  # not approved on the channel yet
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        self.assertEqual(order_return_ref(self.zto), "SH2611230001")
        self.assertEqual(case_sync_returns(), [case.pk])
        case.refresh_from_db()
        self.assertEqual(case.state, "returned")
        last = case.events.last()
        assert last is not None
        self.assertEqual((last.action, last.user, last.note), ("erp", system_user(), "万里牛: 售后处理:新建售后单【SH2611230001】"))
        self.assertEqual(case_sync_returns(), [])

    def test_an_unrelated_erp_note_moves_nothing(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        ErpAftersaleFactory(erp_order_no="XD201122000001", note="顾客拒收, 待处理")
        ErpAftersaleFactory(erp_order_no="XD999", note="售后处理:新建售后单【SH0】")
        self.assertEqual(case_sync_returns(), [])

    def test_the_case_and_the_rule_agree_on_what_counts_as_back_in_the_warehouse(self) -> None:
        texts = {
            "售后处理:新建售后单【SH0001】": "SH0001", "备注 新建售后单【SH0002】 已入库": "SH0002",
            "售后处理:新建售后单【】": None, "新建售后单【SH0003": None, "新建售后单SH0004": None,
        }
        for n, (text, ref) in enumerate(texts.items()):
            for source in ("export", "seller_note"):
                order = zto_order(order_no=f"2011{n}{source}", erp_order_no=f"XD{n}{source}",
                                  erp_note=text if source == "seller_note" else "")
                if source == "export":
                    ErpAftersaleFactory(online_order_no=order.order_no, note=text)
                case = case_open(type="return_refund", order_no=order.order_no, user=self.service)
                case_advance(case_id=case.pk, to_state="approved", user=self.service)
                self.assertEqual(order_return_ref(order), ref, (text, source))
                self.assertEqual(case_sync_returns(case_id=case.pk) == [case.pk], ref is not None, (text, source))
        rule = {no for no in flagged("returned_unrefunded") if no.startswith("2011")}
        moved = set(Order.objects.filter(cases__state="returned").values_list("order_no", flat=True))
        self.assertEqual(rule, moved)
        self.assertEqual(len(moved), 4)
