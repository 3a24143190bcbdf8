"""`case_send`: the claim e-mail over a real SMTP server, the DingTalk robot post to a local HTTP server,
failures that leave the case alone, and retries that send nothing twice."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from opsdesk.aftersales.models import Case, ChatGroup, SendRecord
from opsdesk.aftersales.selectors import case_as_json
from opsdesk.aftersales.services import case_advance, case_open, case_send, case_send_checked
from opsdesk.lib.errors import OutcomeUnknown, Refused
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import (
    STO_TRACKING,
    ZTO_TRACKING,
    DingTalkRobot,
    free_port,
    smtp_server,
    sto_order,
    zto_order,
)
from tests.factories import image_bytes

pytestmark = pytest.mark.postgres

SECRET = "SEC-test-secret-0123456789"
SCREENSHOT = image_bytes()
PHOTO = image_bytes("JPEG", colour="blue")


class CaseSendTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        sto_order()

    def robot_on(self, robot: DingTalkRobot, secret: str = SECRET) -> None:
        ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url, secret=secret)

    def send(self, mailers: dict[str, Any], case: Case) -> list[str]:
        with override_settings(MAILERS=mailers, SMTP_ENABLED=True):
            return case_send(case_id=case.pk, user=self.service)

    def test_a_zto_claim_mails_the_four_parties_with_the_screenshots(self) -> None:
        case = case_open(
            type="lost_parcel", order_no="201122-123456789012345", amount="35", note="物流一直未更新",
            screenshots=[("交易截图.png", SCREENSHOT), ("聊天记录.jpg", PHOTO)], user=self.service,
        )
        with smtp_server() as (sink, mailers):
            sent = self.send(mailers, case)
        self.assertEqual(len(sink.received), 1)
        mail = sink.received[0]
        self.assertEqual(mail.rcpt_tos, [
            "claims-required@example.com", "claims-wanli@example.com", "aftersales@example.com",
            "zto-service@example.com",
        ])
        self.assertEqual(mail.message["Subject"], f"上元堂 丢件理赔 中通快递 {ZTO_TRACKING} 暂记35元")
        self.assertEqual(mail.message["From"], "opsdesk@example.com")
        self.assertIn("订单编号: 201122-123456789012345\n", mail.body)
        self.assertIn("收货地址: 张女士 13900000000 山东省 青岛市 李沧区示例路1号1单元101\n", mail.body)
        self.assertIn("说明: 物流一直未更新\n", mail.body)
        self.assertEqual(mail.attachments, {"交易截图.png": SCREENSHOT, "交易截图 聊天记录.jpg": PHOTO})
        self.assertEqual(sent, ["邮件 → claims-required@example.com, claims-wanli@example.com, "
                                "aftersales@example.com, zto-service@example.com"])
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")

    def test_an_sto_claim_goes_to_both_sto_mailboxes_and_the_signed_robot(self) -> None:
        case = case_open(type="damaged", order_no="SN200910027912111", amount="20", qty=1, user=self.service)
        with smtp_server() as (sink, mailers), DingTalkRobot() as robot:
            self.robot_on(robot)
            before = int(time.time() * 1000)
            self.send(mailers, case)
            after = int(time.time() * 1000)
        self.assertEqual(sink.received[0].rcpt_tos[-2:], ["sto-service-1@example.com", "sto-service-2@example.com"])
        self.assertEqual(len(robot.posts), 1)
        post = robot.posts[0]
        self.assertEqual(post.path, "/robot/send")
        self.assertEqual(post.query["access_token"], "test-token")
        timestamp = int(post.query["timestamp"])
        self.assertTrue(before <= timestamp <= after)
        digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        self.assertEqual(post.query["sign"], base64.b64encode(digest).decode())
        self.assertEqual(post.body["msgtype"], "text")
        self.assertTrue(post.body["text"]["content"].startswith("原因: 商品破损1盒,记已退款给顾客,麻烦记破损金额20元\n"))
        self.assertIn(f"快递单号: {STO_TRACKING}", post.body["text"]["content"])
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")
        self.assertEqual([e.to_state for e in case.events.filter(action="send").exclude(from_state="")][-2:],
                         ["reported", "claimed"])

    def test_a_refused_post_leaves_the_case_alone_and_the_retry_does_not_mail_again(self) -> None:
        case = case_open(type="lost_parcel", order_no="SN200910027912111", amount="50", user=self.service)
        with smtp_server() as (sink, mailers), DingTalkRobot() as robot:
            self.robot_on(robot)
            robot.answers.append((200, {"errcode": 310000, "errmsg": "sign not match"}))
            with self.assertRaisesMessage(Refused, "关键词、时间戳、签名或 IP 不符) (errcode 310000: sign not match)"):
                self.send(mailers, case)
            case.refresh_from_db()
            self.assertEqual(case.state, "opened")
            self.assertEqual(len(sink.received), 1)
            self.assertEqual(list(SendRecord.objects.filter(case=case).values_list("channel", "state")),
                             [("email", "sent"), ("dingtalk", "failed")])
            sent = self.send(mailers, case)
        self.assertEqual(sent, ["钉钉 → 上元堂申通查件"])
        self.assertEqual(len(sink.received), 1)
        self.assertEqual(len(robot.posts), 2)
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")
        with smtp_server() as (sink2, mailers2):
            self.assertEqual(self.send(mailers2, case), [])
        self.assertEqual(sink2.received, [])

    def test_rate_limits_and_http_errors_are_failures(self) -> None:
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with DingTalkRobot() as robot:
            self.robot_on(robot)
            robot.answers += [(200, {"errcode": 130101, "errmsg": "send too fast"}), (500, {"errcode": -1})]
            with self.assertRaisesMessage(Refused, "每分钟最多 20 条"):
                case_send(user=self.service, case_id=case.pk)
            with self.assertRaisesMessage(Refused, "HTTP 500"):
                case_send(user=self.service, case_id=case.pk)
        ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=f"http://127.0.0.1:{free_port()}/robot/send")
        with self.assertRaisesMessage(Refused, "无法连接"):
            case_send(user=self.service, case_id=case.pk)
        case.refresh_from_db()
        self.assertEqual(case.state, "approved")
        self.assertEqual(list(SendRecord.objects.filter(case=case).values_list("state", flat=True)), ["failed"])
        self.assertIn("无法连接", SendRecord.objects.get(case=case).error)

    def test_a_redirect_is_never_followed_and_says_the_webhook_url_is_wrong(self) -> None:
        """urllib followed a 302 as a GET without the body; the page it reached answered errcode 0 and the post,
        which nothing received, was recorded sent."""
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with DingTalkRobot() as robot:
            self.robot_on(robot)
            for status in (301, 302, 303, 307, 308):
                robot.answers.append((status, {}))
                with self.subTest(status=status):
                    with self.assertRaisesMessage(
                        Refused, f"钉钉群「上元堂申通查件」发送失败: webhook 地址被重定向 (HTTP {status} → 127.0.0.1), "
                                 "请检查群的 webhook 地址",
                    ):
                        case_send(case_id=case.pk, user=self.service)
                    self.assertEqual(SendRecord.objects.get(case=case).state, "failed")
        self.assertEqual(robot.gets, [])
        self.assertEqual(len(robot.posts), 5)
        case.refresh_from_db()
        self.assertEqual(case.state, "approved")

    def test_an_approved_sto_return_is_reported_by_the_robot(self) -> None:
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        with DingTalkRobot() as robot:
            self.robot_on(robot, secret="")
            with self.assertRaisesMessage(Refused, "须先在平台同意退货"):
                case_send(case_id=case.pk, user=self.service)
            case_advance(case_id=case.pk, to_state="approved", user=self.service)
            case_send(case_id=case.pk, user=self.service)
        self.assertEqual(robot.posts[0].body["text"]["content"].splitlines()[0], "原因: 麻烦拦截退回 谢谢")
        self.assertNotIn("sign", robot.posts[0].query)
        case.refresh_from_db()
        self.assertEqual(case.state, "intercept_reported")

    def test_a_zto_return_has_nothing_to_send_only_text_to_copy(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        self.assertEqual(case_send(case_id=case.pk, user=self.service), [])
        case.refresh_from_db()
        self.assertEqual(case.state, "approved")

    def test_without_smtp_the_claim_is_refused_and_nothing_is_recorded(self) -> None:
        case = case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="35")
        with override_settings(SMTP_ENABLED=False), self.assertRaisesMessage(Refused, "未配置 SMTP (OPSDESK_SMTP_HOST)"):
            case_send(user=self.service, case_id=case.pk)
        self.assertFalse(SendRecord.objects.exists())
        case.refresh_from_db()
        self.assertEqual(case.state, "opened")

    def test_a_lost_screenshot_file_is_refused_but_the_case_still_shows(self) -> None:
        case = case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="35",
                         screenshots=[("交易截图.png", image_bytes(colour="green"))])
        (Path(settings.DATA_DIR) / case.files.get().path).unlink()
        self.assertEqual(case_as_json(case)["email"]["attachments"], ["交易截图.png"])
        with smtp_server() as (sink, mailers), self.assertRaisesMessage(Refused, "截图 交易截图.png 的文件不见了"):
            self.send(mailers, case)
        self.assertEqual(sink.received, [])
        self.assertFalse(SendRecord.objects.exists())

    def test_a_missing_mailbox_is_refused_before_anything_is_sent(self) -> None:
        from opsdesk.aftersales.models import Recipient

        Recipient.objects.filter(role="wanli").update(active=False)
        case = case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="35")
        with smtp_server() as (sink, mailers), self.assertRaisesMessage(Refused, "缺少收件人: 万莉"):
            self.send(mailers, case)
        self.assertEqual(sink.received, [])


class CaseSendOutcomeTestCase(BaseTestCase):
    """Refused recipients, and sends whose outcome is unknown (the line broke after the message went out)."""

    def setUp(self) -> None:
        sto_order()

    def claim(self) -> Case:
        return case_open(type="damaged", order_no="SN200910027912111", amount="20", qty=1, user=self.service)

    def test_one_refused_recipient_of_five_sends_to_none_names_the_address_and_leaves_the_case(self) -> None:
        case = self.claim()
        with smtp_server() as (sink, mailers):
            sink.refuse.add("sto-service-2@example.com")
            with override_settings(MAILERS=mailers, SMTP_ENABLED=True), self.assertRaisesMessage(
                Refused, "邮件服务器拒绝了 sto-service-2@example.com (550 5.1.1 mailbox unavailable)"
            ):
                case_send(case_id=case.pk, user=self.service)
            self.assertEqual(sink.received, [])
            case.refresh_from_db()
            self.assertEqual(case.state, "opened")
            record = SendRecord.objects.get(case=case)
            self.assertEqual(record.state, "failed")
            self.assertIn("sto-service-2@example.com", record.error)
            self.assertEqual(case_as_json(case)["sent"], [])
            sink.refuse.clear()  # the mailbox is fixed: the retry sends once, to all five
            with override_settings(MAILERS=mailers, SMTP_ENABLED=True):
                case_send(case_id=case.pk, user=self.service)
        self.assertEqual([len(m.rcpt_tos) for m in sink.received], [5])
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")

    def test_an_smtp_timeout_after_data_is_marked_for_a_person_and_never_sent_again_blindly(self) -> None:
        case = self.claim()
        with smtp_server(timeout=0.5) as (sink, mailers), override_settings(MAILERS=mailers, SMTP_ENABLED=True):
            sink.data_delay = 1.5
            with self.assertRaisesMessage(Refused, "理赔邮件已交给邮件服务器但没有确认"):
                case_send(case_id=case.pk, user=self.service)
            sink.data_delay = 0
            with self.assertRaisesMessage(Refused, "上次发送结果未知"):
                case_send(case_id=case.pk, user=self.service)
        self.assertEqual(len(sink.received), 1)
        shown = case_as_json(case)
        self.assertEqual([(s["state"], s["channel"]) for s in shown["sends"]], [("unknown", "email")])
        self.assertIn("邮件 → claims-required@example.com", shown["warnings"][-1])
        case.refresh_from_db()
        self.assertEqual(case.state, "opened")
        case_send_checked(case_id=case.pk, send_id=shown["sends"][0]["id"], delivered=True, user=self.service)
        case.refresh_from_db()
        self.assertEqual(case.state, "claimed")
        self.assertEqual(case.events.filter(action="send_checked").count(), 1)

    def test_a_robot_that_reads_the_post_and_times_out_is_unknown_and_not_posted_again(self) -> None:
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with DingTalkRobot(delay=1.5) as robot, override_settings(DINGTALK_TIMEOUT=0.5):
            ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url)
            with self.assertRaisesMessage(Refused, "已发出但没有回答"):
                case_send(case_id=case.pk, user=self.service)
            robot.delay = 0
            with self.assertRaisesMessage(Refused, "上次发送结果未知"):
                case_send(case_id=case.pk, user=self.service)
            self.assertEqual(len(robot.posts), 1)
            record = SendRecord.objects.get(case=case)
            self.assertEqual(record.state, "unknown")
            case_send_checked(case_id=case.pk, send_id=record.pk, delivered=False, user=self.service, note="群里没有")
            self.assertEqual(case_send(case_id=case.pk, user=self.service), ["钉钉 → 上元堂申通查件"])
        self.assertEqual(len(robot.posts), 2)
        case.refresh_from_db()
        self.assertEqual(case.state, "intercept_reported")
        with self.assertRaisesMessage(Refused, "不是待确认的发送"):
            case_send_checked(case_id=case.pk, send_id=record.pk, delivered=True, user=self.service)

    def test_a_robot_trickling_its_headers_is_unknown_after_the_timeout_in_all(self) -> None:
        """Each byte comes within the per-read timeout: only a deadline for the whole request ends the wait."""
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with DingTalkRobot(trickle=0.1) as robot, override_settings(DINGTALK_TIMEOUT=0.5):  # 4 s of headers
            ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url)
            started = time.monotonic()
            with self.assertRaisesMessage(Refused, "已发出但没有回答"):
                case_send(case_id=case.pk, user=self.service)
            self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(SendRecord.objects.get(case=case).state, "unknown")

    def test_a_gateway_502_or_504_is_unknown_and_not_posted_again_a_503_is_a_failure(self) -> None:
        """A 502/504 comes from a proxy that passed the post on and lost the robot's answer: the robot may have
        posted (it was recorded failed, and the next send posted again). A 503 is a proxy with no robot behind it."""
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        case_advance(case_id=case.pk, to_state="approved", user=self.service)
        with DingTalkRobot() as robot:
            ChatGroup.objects.filter(name="上元堂申通查件").update(webhook_url=robot.url)
            for number, status in enumerate((502, 504), start=1):
                with self.subTest(status=status):
                    robot.answers.append((status, {}))
                    with self.assertRaisesMessage(OutcomeUnknown, f"已发出, 但中间的网关答 HTTP {status}"):
                        case_send(case_id=case.pk, user=self.service)
                    with self.assertRaisesMessage(Refused, "上次发送结果未知"):
                        case_send(case_id=case.pk, user=self.service)
                    self.assertEqual(len(robot.posts), number)
                    record = SendRecord.objects.get(case=case)
                    self.assertEqual(record.state, "unknown")
                    case_send_checked(case_id=case.pk, send_id=record.pk, delivered=False, user=self.service)
            robot.answers.append((503, {}))
            with self.assertRaisesMessage(Refused, "发送失败: HTTP 503"):
                case_send(case_id=case.pk, user=self.service)
            self.assertEqual(SendRecord.objects.get(case=case).state, "failed")
            self.assertEqual(case_send(case_id=case.pk, user=self.service), ["钉钉 → 上元堂申通查件"])
        self.assertEqual(len(robot.posts), 4)
        case.refresh_from_db()
        self.assertEqual(case.state, "intercept_reported")
