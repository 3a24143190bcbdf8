"""One prescription serves one order, held by the database: references compared as a person reads them, images
checked by content and size, approvals that record what they approved and lose force when an import changes it,
and two approvals racing for one prescription on two connections (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderEvent
from opsdesk.rules.models import RxReview, UsedPrescription
from opsdesk.rules.prescriptions import reference_normalise
from opsdesk.rules.recheck import rx_lines_replaced_receiver
from opsdesk.rules.services import rx_review
from opsdesk.test import BaseTestCase, user_make
from tests.factories import OrderFactory, OrderLineFactory, image_bytes
from tests.rules.helpers import flagged, race

pytestmark = pytest.mark.postgres


def rx_order(order_no: str, **line: Any) -> Any:
    order = OrderFactory(order_no=order_no, has_rx=True)
    OrderLineFactory(order=order, line_no=1, rx=True, **{"sku": "RX-A", "qty": 1, **line})
    return order


class PrescriptionTestCase(BaseTestCase):
    def approve(self, order: Any, **kwargs: Any) -> RxReview:
        return rx_review(order=order, user=self.pharmacist, decision="approve", **kwargs)

    def test_a_reference_is_the_same_in_any_case_width_or_with_invisible_characters(self) -> None:
        self.approve(rx_order("GW700"), prescription="RX-SAME-0001")
        for order_no, written in (("GW701", "rx-same-0001"), ("GW702", "ＲＸ-SAME-0001"), ("GW703", "RX-SAME\u200b-0001"),
                                  ("GW704", " RX-SAME-0001\u3000")):
            with self.assertRaisesMessage(Refused, "已用于另一订单 GW700"):
                self.approve(rx_order(order_no), prescription=written)
        self.assertEqual(reference_normalise("ＲＸ-SAME\u200d-0001 "), "rx-same-0001")
        self.assertEqual(reference_normalise("RX-SAME-0001\x07\x7f"), "rx-same-0001")  # one stored before the form
        for dash in ("\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\u30fc", "\uff70", "\ufe63", "\u2043"):
            self.assertEqual(reference_normalise(f"RX{dash}7777"), "rx-7777", repr(dash))
        with self.assertRaisesMessage(Refused, "已用于另一订单 GW700"):
            self.approve(rx_order("GW709"), prescription="RX\u2013SAME\u2212\u0030001")
        self.assertEqual(RxReview.objects.count(), 1)

    def test_references_claimed_with_a_look_alike_dash_are_compared_folded_after_the_migration(self) -> None:
        from django.apps import apps

        migration = importlib.import_module("opsdesk.rules.migrations.0008_references_renormalised")
        self.approve(rx_order("GW710"), prescription="RX-OLD-1")
        self.approve(rx_order("GW711"), prescription="RX-OLD-2")
        UsedPrescription.objects.filter(value="rx-old-1").update(value="rx\u2013old\u20131")  # as stored before
        UsedPrescription.objects.filter(value="rx-old-2").update(value="rx\u2212old-2")
        self.approve(rx_order("GW712"), prescription="RX-OLD-2")  # a second order got it through the look-alike
        migration.references_renormalise(apps, None)
        self.assertEqual(sorted(UsedPrescription.objects.values_list("value", flat=True)),
                         ["rx-old-1", "rx-old-2", "rx\u2212old-2"])  # the clash is kept as it was, not merged
        with self.assertRaisesMessage(Refused, "已用于另一订单 GW710"):
            self.approve(rx_order("GW713"), prescription="RX-OLD-1")

    def test_the_same_order_may_be_reviewed_again_with_its_prescription(self) -> None:
        order = rx_order("GW705")
        rx_review(order=order, user=self.pharmacist, decision="reject", prescription="RX-9")
        self.approve(order, prescription="rx-9")
        self.assertEqual(UsedPrescription.objects.get().order, order)
        self.assertEqual(flagged("rx_review"), set())

    def test_images_are_checked_by_content_and_size(self) -> None:
        order = rx_order("GW706")
        for content, message in ((b"GIF89a not a scan", "只收 JPEG、PNG 或 PDF"), (b"\x89PNG\r\n\x1a\nbroken", "只收 JPEG、PNG 或 PDF"),
                                 (b"%PDF-1.7 cut off", "不完整"), (image_bytes("GIF"), "只收 JPEG、PNG 或 PDF")):
            with self.assertRaisesMessage(Refused, message):
                self.approve(order, image=content)
        with override_settings(RX_IMAGE_MAX_MB=1), self.assertRaisesMessage(Refused, "超过 1 MB"):
            self.approve(order, image=b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n")
        self.assertFalse(RxReview.objects.exists())
        review = self.approve(order, image=b"%PDF-1.4\nmade-up scan\n%%EOF\n")
        self.assertTrue(review.image_path.endswith(".pdf"))
        self.assertTrue(self.approve(rx_order("GW707"), image=image_bytes("JPEG")).image_path.endswith(".jpg"))

    def test_an_approval_records_its_rx_lines_and_an_import_that_changes_them_voids_it(self) -> None:
        order = rx_order("GW708", sku="RX-A", qty=2)
        OrderLineFactory(order=order, line_no=2, rx=False, sku="OTC-1")
        review = self.approve(order, prescription="RX-708")
        self.assertEqual(review.lines, [{"sku": "RX-A", "qty": 2}])
        order.lines.filter(sku="OTC-1").update(qty=5)  # a non-Rx line changed: the approval holds
        rx_lines_replaced_receiver(None, order_ids=[order.pk], user=self.operator)
        self.assertEqual(flagged("rx_review"), set())
        order.lines.filter(sku="RX-A").update(qty=3)
        rx_lines_replaced_receiver(None, order_ids=[order.pk], user=self.operator)
        review.refresh_from_db()
        self.assertIsNotNone(review.voided_at)
        self.assertEqual(flagged("rx_review"), {"GW708"})
        event = OrderEvent.objects.get(order=order, kind="rx_reopened")
        self.assertIn("审核时 RX-A×2, 现在 RX-A×3", event.text)
        self.approve(order, prescription="RX-708")  # the pharmacist approves the new lines with the same prescription
        self.assertEqual(flagged("rx_review"), set())


class RacingApprovalsTestCase(TransactionTestCase):
    """Two pharmacists approve two orders with one prescription at the same moment, each on its own connection.
    Both pass the friendly look-up before either writes (a barrier holds them there); the database refuses one."""

    serialized_rollback = True  # keep the seeded channels across the flush

    def setUp(self) -> None:
        self.pharmacists = [user_make(role="pharmacist", username=f"li{n}") for n in range(2)]
        self.orders = [rx_order(f"GW71{n}") for n in range(2)]

    def race(self, **kwargs: Any) -> list[Any]:
        def approve(n: int) -> Any:
            try:
                return rx_review(order=self.orders[n], user=self.pharmacists[n], decision="approve", **kwargs)
            finally:
                connection.close()

        return race(approve)

    def assert_one_wins(self, results: list[Any], message: str) -> None:
        self.assertEqual(sorted(type(r).__name__ for r in results), ["Refused", "RxReview"], results)
        self.assertIn(message, str(next(r for r in results if isinstance(r, Refused))))
        self.assertEqual(RxReview.objects.count(), 1)
        self.assertEqual(len(flagged("rx_review")), 1)

    def test_the_second_of_two_racing_approvals_with_one_reference_fails(self) -> None:
        self.assert_one_wins(self.race(prescription="RX-RACE-1"), "处方编号 RX-RACE-1 已用于另一订单")

    def test_the_second_of_two_racing_approvals_with_one_image_fails(self) -> None:
        self.assert_one_wins(self.race(image=image_bytes(colour="green")), "处方图片 已用于另一订单")


class RacingReviewsOfOneOrderTestCase(TransactionTestCase):
    """Two pharmacists review the same order at the same moment, each on its own connection, both past the look-up
    before either writes: the second waits for the first, then supersedes it. One review is in force, the later."""

    serialized_rollback = True

    def setUp(self) -> None:
        self.pharmacists = [user_make(role="pharmacist", username=f"zhao{n}") for n in range(2)]
        self.order = rx_order("GW720")

    def race(self, decisions: list[str], **kwargs: Any) -> list[Any]:
        def review(n: int) -> Any:
            try:
                return rx_review(order=self.order, user=self.pharmacists[n], decision=decisions[n], **kwargs)
            finally:
                connection.close()

        return race(review)

    def assert_later_in_force(self, results: list[Any]) -> RxReview:
        self.assertEqual([type(r).__name__ for r in results], ["RxReview", "RxReview"], results)
        in_force = RxReview.objects.filter(order=self.order, superseded_by__isnull=True)
        self.assertEqual(in_force.count(), 1)
        later = RxReview.objects.filter(order=self.order).latest("pk")
        self.assertEqual(in_force.get(), later)
        return later

    def test_an_approval_and_a_rejection_at_once_leave_only_the_later_in_force(self) -> None:
        later = self.assert_later_in_force(self.race(["approve", "reject"]))
        self.assertEqual(flagged("rx_review"), set() if later.decision == "approve" else {"GW720"})

    def test_two_approvals_with_the_order_s_own_prescription_at_once_both_stand(self) -> None:
        self.assert_later_in_force(self.race(["approve", "approve"], prescription="RX-ONE-ORDER"))
        self.assertEqual(UsedPrescription.objects.get().order, self.order)
        self.assertEqual(flagged("rx_review"), set())
