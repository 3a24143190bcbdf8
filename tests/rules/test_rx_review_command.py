"""`opsdesk rx review ORDER_NO --user U --approve|--reject [--prescription REF] [--image FILE] [--note TEXT]`."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderEvent
from opsdesk.rules.models import RxReview
from opsdesk.rules.services import rx_review
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, image_bytes
from tests.rules.helpers import cli, flagged

pytestmark = pytest.mark.postgres

PNG = image_bytes(colour="blue")  # a made-up prescription scan


class RxReviewCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.order = OrderFactory(order_no="GW300", has_rx=True)
        self.other = OrderFactory(order_no="GW301", has_rx=True)

    def test_it_refuses_non_pharmacists_with_exit_1(self) -> None:
        for username in ("service", "operator", "admin"):
            code, _, err = cli("rx", "review", "GW300", "--user", username, "--approve", "--prescription", "RX1")
            self.assertEqual(code, 1, username)
            self.assertIn("只有药师可以审核处方", err)
        self.assertFalse(RxReview.objects.exists())
        self.assertEqual(flagged("rx_review"), {"GW300", "GW301"})

    def test_it_refuses_a_prescription_number_or_note_with_hidden_characters(self) -> None:
        for args in (("--prescription", "RX-PROBE-1\x07"), ("--prescription", "RX-PROBE-1\x7f"),
                     ("--prescription", "RX\u202e-1"), ("--prescription", "RX-1", "--note", "\x1b[31m红字"),
                     ("--prescription", "RX-1", "--note", "长" * 2001)):
            code, _, err = cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", *args)
            self.assertEqual(code, 1, args)
            self.assertRegex(err, "处方编号|说明", args)
            self.assertNotIn("Traceback", err)
        self.assertFalse(RxReview.objects.exists())

    def test_it_refuses_an_inactive_pharmacist(self) -> None:
        self.pharmacist.is_active = False
        self.pharmacist.save()
        code, _, err = cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", "--prescription", "RX1")
        self.assertEqual(code, 1)
        self.assertIn("已停用", err)
        self.assertFalse(RxReview.objects.exists())

    def test_a_superuser_is_no_pharmacist(self) -> None:
        User.objects.create_superuser("root", password="long-enough-9")
        code, _, err = cli("rx", "review", "GW300", "--user", "root", "--approve", "--prescription", "RX1")
        self.assertEqual(code, 1)
        self.assertIn("只有药师可以审核处方", err)

    def test_a_pharmacist_approval_is_recorded_and_clears_the_flag(self) -> None:
        code, out, _ = cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", "--prescription", "RX1",
                           "--note", "处方齐全", "--json")
        self.assertEqual(code, 0)
        payload = json.loads(out)
        self.assertEqual((payload["ok"], payload["decision"], payload["reviewer"]), (True, "approve", "pharmacist"))
        review = RxReview.objects.get(order=self.order)
        self.assertEqual((review.reviewer, review.prescription, review.note), (self.pharmacist, "RX1", "处方齐全"))
        self.assertEqual(OrderEvent.objects.get(order=self.order).kind, "rx_review")
        self.assertEqual(flagged("rx_review"), {"GW301"})

    def test_a_prescription_reference_used_on_another_order_is_refused(self) -> None:
        cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", "--prescription", "RX1")
        code, _, err = cli("rx", "review", "GW301", "--user", "pharmacist", "--approve", "--prescription", "RX1")
        self.assertEqual(code, 1)
        self.assertIn("处方编号 RX1 已用于另一订单 GW300", err)
        self.assertFalse(RxReview.objects.filter(order=self.other).exists())

    def test_the_image_is_kept_by_hash_and_cannot_serve_another_order(self) -> None:
        with tempfile.NamedTemporaryFile(suffix=".png") as scan:
            scan.write(PNG)
            scan.flush()
            self.assertEqual(cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", "--image", scan.name)[0], 0)
            code, _, err = cli("rx", "review", "GW301", "--user", "pharmacist", "--approve", "--image", scan.name)
        self.assertEqual(code, 1)
        self.assertIn("处方图片 已用于另一订单 GW300", err)
        review = RxReview.objects.get()
        digest = hashlib.sha256(PNG).hexdigest()
        self.assertEqual(review.image_sha256, digest)
        self.assertEqual((Path(settings.DATA_DIR) / review.image_path).read_bytes(), PNG)
        self.assertEqual(review.image_path, f"prescriptions/{digest}.png")

    def test_a_later_review_supersedes_without_deleting(self) -> None:
        first = rx_review(order=self.order, user=self.pharmacist, decision="approve", prescription="RX1")
        second = rx_review(order=self.order, user=self.pharmacist, decision="reject", prescription="RX1")
        first.refresh_from_db()
        self.assertEqual((first.superseded_by, second.superseded_by), (second, None))
        self.assertEqual(flagged("rx_review"), {"GW300", "GW301"})

    def test_bad_requests_are_refused(self) -> None:
        code, _, err = cli("rx", "review", "GW300", "--user", "pharmacist", "--approve", "--image", "/nonexistent.png")
        self.assertEqual(code, 1)
        self.assertIn("无法读取处方图片", err)
        self.assertEqual(cli("rx", "review", "GW300", "--user", "pharmacist")[0], 2)
        OrderFactory(order_no="GW302", has_rx=False)
        self.assertIn("不含处方药", cli("rx", "review", "GW302", "--user", "pharmacist", "--approve")[2])
        with self.assertRaisesMessage(Refused, "审核结论"):
            rx_review(order=self.order, user=self.pharmacist, decision="maybe")

    def test_the_permission_is_the_pharmacists_alone(self) -> None:
        self.assertTrue(User.objects.get(pk=self.pharmacist.pk).has_perm("rules.review_prescription"))
        for user in (self.admin, self.operator, self.service):
            self.assertFalse(User.objects.get(pk=user.pk).has_perm("rules.review_prescription"), user)
