"""`case_send` against slow peers with real threads and their own database connections: nothing is held while
the robot is slow, so a checklist sign-off meanwhile goes through at once (the SQLite write lock is free), and
of two sends at once the database lets one post."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from opsdesk.aftersales.models import ChatGroup, SendRecord
from opsdesk.aftersales.services import case_advance, case_open, case_send
from opsdesk.checklist.models import ChecklistItem
from opsdesk.checklist.services import checklist_sign
from opsdesk.lib.errors import Refused
from opsdesk.test import user_make
from tests.aftersales.helpers import DingTalkRobot, sto_order

pytestmark = pytest.mark.postgres


class SendInThread(threading.Thread):
    def __init__(self, case_id: int, user: Any) -> None:
        super().__init__(daemon=True)
        self.case_id, self.user = case_id, user
        self.result: list[str] | Exception | None = None

    def run(self) -> None:
        try:
            self.result = case_send(case_id=self.case_id, user=self.user)
        except Refused as exc:
            self.result = exc
        finally:
            connection.close()


class CaseSendConcurrencyTestCase(TransactionTestCase):
    serialized_rollback = True  # the templates, groups and checklist items come from data migrations

    def setUp(self) -> None:
        self.service = user_make(role="service")
        self.operator = user_make(role="operator")
        sto_order()
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        self.case = case_advance(case_id=case.pk, to_state="approved", user=self.service)

    def test_a_sign_off_during_a_slow_robot_post_is_not_blocked(self) -> None:
        item = ChecklistItem.objects.filter(active=True).order_by("id").first()
        assert item is not None
        with DingTalkRobot(delay=3) as robot:
            ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url)
            sender = SendInThread(self.case.pk, self.service)
            sender.start()
            self.assertTrue(robot.read.wait(5))
            started = time.perf_counter()
            signed = checklist_sign(code=item.code, user=self.operator, day=date(2026, 11, 23), note="发送中签核")
            took = time.perf_counter() - started
            still_sending = sender.is_alive()
            sender.join(10)
        self.assertLess(took, 1.0)
        self.assertTrue(still_sending)
        self.assertEqual(signed.note, "发送中签核")
        self.assertEqual(sender.result, ["钉钉 → 上元堂申通查件"])
        self.assertEqual(SendRecord.objects.get(case=self.case).state, "sent")

    def test_of_two_sends_at_once_one_posts_and_the_other_says_it_is_under_way(self) -> None:
        with DingTalkRobot(delay=1) as robot, override_settings(DINGTALK_TIMEOUT=5):
            ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url)
            first = SendInThread(self.case.pk, self.service)
            first.start()
            self.assertTrue(robot.read.wait(5))
            second = SendInThread(self.case.pk, self.service)
            second.start()
            for thread in (first, second):
                thread.join(10)
        self.assertEqual(len(robot.posts), 1)
        self.assertEqual(first.result, ["钉钉 → 上元堂申通查件"])
        self.assertIsInstance(second.result, Refused)
        self.assertIn("正在发送", str(second.result))
