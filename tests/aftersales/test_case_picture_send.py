"""The 不放清单 picture goes where its message is sent. OpsDesk posts nothing for this case (the notes' warehouse chat
is UM, which has no robot; a DingTalk robot's text post cannot carry a file): the person who sends the note sends
the picture with it — `case show`/`case send` name it as the warehouse note's attachment, `opsdesk case picture`
writes it, and the case page shows it beside the note."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from opsdesk.aftersales.services import case_open
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import zto_order
from tests.factories import OrderFactory, OrderLineFactory
from tests.rules.helpers import cli

pytestmark = pytest.mark.postgres

ORDER_NO = "GW2611230000888"
NAME = f"{ORDER_NO}-不放清单.png"


class PackingPictureSendTestCase(BaseTestCase):
    def setUp(self) -> None:
        order = OrderFactory(order_no=ORDER_NO)
        OrderLineFactory(order=order, line_no=1, sku="SKU-AMX-24", name="阿莫西林胶囊", spec="0.25g*24粒", qty=2)
        self.case = case_open(type="omit_packing_list", order_no=ORDER_NO, user=self.operator)

    def test_the_warehouse_note_names_the_picture_as_its_attachment(self) -> None:
        out = io.StringIO()
        call_command("case", "show", str(self.case.pk), "--json", stdout=out)
        [note] = json.loads(out.getvalue())["messages"]
        self.assertEqual((note["kind"], note["to"], note["text"], note["via"]),
                         ("warehouse_note", "UM电商群", f"{ORDER_NO} 不放清单", "copy"))
        self.assertEqual(note["attachments"], [NAME])

    def test_other_messages_have_no_attachment(self) -> None:
        zto_order()
        lost = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="30", user=self.service)
        out = io.StringIO()
        call_command("case", "show", str(lost.pk), "--json", stdout=out)
        self.assertEqual({tuple(m["attachments"]) for m in json.loads(out.getvalue())["messages"]}, {()})

    def test_send_says_what_to_paste_and_where_the_picture_is(self) -> None:
        code, out, err = cli("case", "send", str(self.case.pk), "--user", "operator")
        self.assertEqual(code, 0, err)
        text = out + err
        self.assertIn(f"请复制发送到 UM电商群:\n{ORDER_NO} 不放清单\n", text)
        self.assertIn(f"附图: {NAME} (opsdesk case picture {self.case.pk} --out DIR; 网页 /cases/{self.case.pk}/packing-list.png)",
                      text)

    def test_case_picture_writes_the_png_the_page_shows(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        code, out, _ = cli("case", "picture", str(self.case.pk), "--out", str(folder), "--json")
        self.assertEqual(code, 0)
        written = json.loads(out)
        self.assertEqual(Path(written["path"]), folder / NAME)
        self.assertEqual(Image.open(folder / NAME).format, "PNG")
        self.client.force_login(self.operator)
        page = self.client.get(f"/cases/{self.case.pk}/packing-list.png")
        self.assertEqual((folder / NAME).read_bytes(), page.content)

    def test_case_picture_refuses_a_case_without_one(self) -> None:
        zto_order()
        lost = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="30", user=self.service)
        code, _, err = cli("case", "picture", str(lost.pk))
        self.assertEqual(code, 1)
        self.assertIn("不是不放清单, 没有订单图片", err)
