"""`checklist_sign`: who may sign, unknown items, later sign-offs superseding earlier ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import TransactionTestCase

from opsdesk.checklist.models import SignOff
from opsdesk.checklist.selectors import checklist_day
from opsdesk.checklist.services import checklist_sign
from opsdesk.lib.dates import SHANGHAI
from opsdesk.lib.errors import Refused
from opsdesk.test import BaseTestCase, user_make
from tests.concurrency import at_once

pytestmark = pytest.mark.postgres

DAY = date(2026, 11, 23)
SECONDS_30 = timedelta(seconds=30)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=SHANGHAI)


class ChecklistSignTestCase(BaseTestCase):
    def test_it_refuses_unknown_items_naming_the_valid_codes(self) -> None:
        with self.assertRaises(Refused) as caught:
            checklist_sign(code="no-such-item", user=self.operator, day=DAY)
        self.assertIn("no-such-item", str(caught.exception))
        self.assertIn("erp-abnormal", str(caught.exception))
        self.assertIn("cod-sheet", str(caught.exception))
        self.assertFalse(SignOff.objects.exists())

    def test_it_refuses_roles_that_do_not_sign_off(self) -> None:
        with self.assertRaisesMessage(Refused, "没有签核「系统已经自动审核」的权限: 只有运营、客服、管理员可以"):
            checklist_sign(code="erp-auto-audit", user=self.pharmacist, day=DAY)
        with self.assertRaisesMessage(Refused, "没有签核「处方单审核」的权限: 只有药师可以"):
            checklist_sign(code="yfw-rx-review", user=self.operator, day=DAY)
        self.assertFalse(SignOff.objects.exists())

    def test_the_pharmacist_signs_the_prescription_review(self) -> None:
        signoff = checklist_sign(code="yfw-rx-review", user=self.pharmacist, day=DAY, at=at(9, 20), note="3 张已审")
        self.assertEqual((signoff.item.code, signoff.user, signoff.note), ("yfw-rx-review", self.pharmacist, "3 张已审"))

    def test_operators_and_service_sign_off(self) -> None:
        checklist_sign(code="erp-auto-audit", user=self.operator, day=DAY, at=at(9))
        checklist_sign(code="yfw-buyer-message", user=self.service, day=DAY, at=at(9, 5))
        self.assertEqual(SignOff.objects.count(), 2)

    def test_a_later_signoff_supersedes_and_the_earlier_one_is_kept(self) -> None:
        checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="first", at=at(16))
        checklist_sign(code="cod-sheet", user=self.service, day=DAY, note="  second  ", at=at(16, 30))
        item = next(item for item in checklist_day(day=DAY, at=at(18))["items"] if item["code"] == "cod-sheet")
        self.assertEqual(item["signed_off"]["by"], "service")
        self.assertEqual(item["signed_off"]["note"], "second")
        self.assertEqual(list(SignOff.objects.order_by("at").values_list("note", flat=True)), ["first", "second"])

    def test_it_refuses_a_note_with_hidden_characters(self) -> None:
        with self.assertRaisesMessage(Refused, "U+202E"):
            checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="\u202e已发", at=at(16))
        self.assertFalse(SignOff.objects.exists())

    def test_it_refuses_inactive_users(self) -> None:
        self.operator.is_active = False
        self.operator.save()
        with self.assertRaisesMessage(Refused, "停用"):
            checklist_sign(code="erp-auto-audit", user=self.operator, day=DAY)

    def test_a_day_still_to_come_cannot_be_signed(self) -> None:
        with self.assertRaisesMessage(Refused, "2026-11-24 还没到, 不能签核"):
            checklist_sign(code="erp-auto-audit", user=self.operator, day=date(2026, 11, 24), at=at(23, 50))
        self.assertFalse(SignOff.objects.exists())

    def test_the_same_signoff_sent_again_within_a_minute_is_one_record(self) -> None:
        first = checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="已发", at=at(16))
        again = checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="已发", at=at(16) + SECONDS_30)
        self.assertEqual(again.pk, first.pk)
        later = checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="已发", at=at(16, 5))
        changed = checklist_sign(code="cod-sheet", user=self.operator, day=DAY, note="已发, 补 1 单", at=at(16, 5))
        self.assertEqual(SignOff.objects.count(), 3, (later, changed))


class RacingSignOffsTestCase(TransactionTestCase):
    serialized_rollback = True

    def test_two_identical_signoffs_at_once_record_one(self) -> None:
        operator = user_make(role="operator", username="yunying")

        def sign(_n: int) -> Any:
            return checklist_sign(code="erp-abnormal", user=operator, day=DAY, note="已处理", at=at(9, 10))

        results = at_once(sign)
        self.assertEqual([type(r).__name__ for r in results], ["SignOff", "SignOff"], results)
        self.assertEqual(SignOff.objects.count(), 1)
