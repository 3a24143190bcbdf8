"""`opsdesk case open|show|send|list|advance` with --json as documented, and refusals that exit 1."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.aftersales.models import Case
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import STO_TRACKING, ZTO_TRACKING, sto_order, zto_order
from tests.console import opsdesk_run
from tests.factories import ErpAftersaleFactory, image_bytes

pytestmark = pytest.mark.postgres

SHOW_KEYS = {"id", "type", "state", "channel", "order_no", "courier", "tracking_no", "amount", "history", "messages", "email"}


def opsdesk(*args: str) -> Any:
    out = io.StringIO()
    call_command("case", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


class CaseCommandTestCase(BaseTestCase):
    def setUp(self) -> None:
        zto_order()
        sto_order()

    def test_open_prints_the_case_as_show_does(self) -> None:
        shot = Path(self.enterContext(tempfile.TemporaryDirectory())) / "截图.png"
        shot.write_bytes(image_bytes())
        other = shot.with_name("订单.jpg")
        other.write_bytes(image_bytes("JPEG"))
        data = opsdesk("open", "lost_parcel", "201122-123456789012345", "--amount", "35", "--note", "物流不动",
                       "--screenshot", str(shot), str(other), "--user", "service")
        self.assertLessEqual(SHOW_KEYS, set(data))
        self.assertEqual({k: data[k] for k in ("type", "state", "channel", "order_no", "courier", "tracking_no", "amount")}, {
            "type": "lost_parcel", "state": "opened", "channel": "pdd", "order_no": "201122-123456789012345",
            "courier": "zto", "tracking_no": ZTO_TRACKING, "amount": "35.00",
        })
        self.assertEqual(data["history"][0]["user"], "service")
        self.assertEqual(data["history"][0]["to"], "opened")
        self.assertEqual([m["kind"] for m in data["messages"]], ["courier_report"])
        self.assertEqual(data["messages"][0]["to"], "上元堂对接群")
        self.assertEqual(data["email"]["attachments"], ["交易截图 截图.png", "交易截图 订单.jpg"])
        self.assertEqual(len(data["email"]["to"]), 4)
        self.assertEqual(data, opsdesk("show", str(data["id"])))

    def test_show_has_no_email_for_a_return_and_lists_every_message(self) -> None:
        data = opsdesk("open", "return_refund", "SN200910027912111", "--user", "service")
        self.assertIsNone(data["email"])
        self.assertEqual([(m["kind"], m["to"]) for m in data["messages"]], [
            ("buyer_reply", "买家 (苏宁)"), ("courier_report", "上元堂申通查件"), ("return_tip", "买家 (苏宁)"),
        ])
        self.assertEqual(data["next_states"], ["approved", "cancelled"])

    def test_advance_and_list(self) -> None:
        first = opsdesk("open", "return_refund", "SN200910027912111", "--user", "service")
        opsdesk("open", "damaged", "201122-123456789012345", "--amount", "8", "--qty", "1", "--user", "service")
        moved = opsdesk("advance", str(first["id"]), "--to", "approved", "--user", "service", "--note", "平台已同意")
        self.assertEqual(moved["state"], "approved")
        self.assertEqual(moved["history"][-1]["note"], "平台已同意")
        rows = opsdesk("list")
        self.assertEqual([r["type"] for r in rows], ["damaged", "return_refund"])
        self.assertNotIn("13700000000", json.dumps(rows))
        self.assertEqual([r["order_no"] for r in opsdesk("list", "--state", "approved")], ["SN200910027912111"])
        self.assertEqual([r["tracking_no"] for r in opsdesk("list", "--type", "return_refund")], [STO_TRACKING])

    def test_show_moves_a_return_on_when_the_erp_has_it_back(self) -> None:
        data = opsdesk("open", "return_refund", "201122-123456789012345", "--user", "service")
        opsdesk("advance", str(data["id"]), "--to", "approved", "--user", "service")
        ErpAftersaleFactory(online_order_no="201122-123456789012345", note="售后处理:新建售后单【SH000123】")
        shown = opsdesk("show", str(data["id"]))
        self.assertEqual((shown["state"], shown["erp_return_ref"]), ("returned", "SH000123"))
        self.assertEqual((shown["history"][-1]["action"], shown["history"][-1]["user"]), ("erp", "system"))

    def test_send_without_smtp_exits_1(self) -> None:
        data = opsdesk("open", "lost_parcel", "201122-123456789012345", "--amount", "35", "--user", "service")
        with self.assertRaises(CommandError) as raised:
            opsdesk("send", str(data["id"]), "--user", "service")
        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn("未配置 SMTP (OPSDESK_SMTP_HOST)", str(raised.exception))

    def test_send_of_a_zto_return_shows_the_text_to_copy(self) -> None:
        data = opsdesk("open", "return_refund", "201122-123456789012345", "--user", "service")
        opsdesk("advance", str(data["id"]), "--to", "approved", "--user", "service")
        sent = opsdesk("send", str(data["id"]), "--user", "service")
        self.assertEqual(sent["sent"], [])
        self.assertIn("上元堂对接群", [m["to"] for m in sent["copy"]])

    def test_refusals_exit_1_and_write_nothing(self) -> None:
        for args in (
            ["open", "lost_parcel", "NO-SUCH-ORDER", "--amount", "5", "--user", "service"],
            ["open", "lost_parcel", "201122-123456789012345", "--user", "service"],
            ["open", "invoice", "XD201122000001", "--title", "示例", "--tax-id", "91350100M000100Y44", "--email", "a@example.com", "--user", "service"],
            ["open", "lost_parcel", "201122-123456789012345", "--amount", "5", "--screenshot", "/nonexistent/x.png", "--user", "service"],
            ["open", "lost_parcel", "201122-123456789012345", "--amount", "5", "--user", "pharmacist"],
            ["advance", "12345", "--to", "approved", "--user", "service"],
        ):
            with self.assertRaises(CommandError) as raised:
                opsdesk(*args)
            self.assertEqual(raised.exception.returncode, 1, args)
        self.assertFalse(Case.objects.exists())


@pytest.mark.usefixtures("initialised_tmp_path")
def test_the_cli_exits_1_with_a_chinese_message_and_writes_nothing(tmp_path: Path) -> None:
    assert opsdesk_run("user", "add", "kefu", "--role", "service", data_dir=tmp_path, stdin="long-enough-9\n").returncode == 0
    cases = [
        (["case", "open", "lost_parcel", "NO-SUCH-ORDER", "--amount", "5", "--user", "kefu"], "找不到订单 NO-SUCH-ORDER"),
        (["case", "open", "invoice", "XD1", "--title", "示例", "--tax-id", "123", "--email", "a@example.com", "--user", "kefu"], "税号 123 不是有效的统一社会信用代码"),
        (["case", "open", "lost_parcel", "NO-SUCH-ORDER", "--amount", "5", "--user", "nobody"], "没有用户 'nobody'"),
        (["case", "show", "7"], "没有售后单 #7"),
        (["stockout", "NO-SUCH-SKU"], "未知商品编码 NO-SUCH-SKU"),
    ]
    for args, message in cases:
        result = opsdesk_run(*args, data_dir=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    listed = opsdesk_run("case", "list", "--json", data_dir=tmp_path)
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    assert opsdesk_run("case", "open", "lost_parcel", data_dir=tmp_path).returncode == 2
