"""The English desk's case pages: every word of the page's own is English. What stays Chinese is data: the texts
sent to Chinese buyers, couriers and the warehouse (templates an admin edits), order facts, notes, group and
mailbox names, and the services' messages (the interface's Chinese, as on the CLI)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings

from opsdesk.aftersales.models import Case
from opsdesk.aftersales.screenshots import case_screenshots_add
from opsdesk.aftersales.selectors import case_as_json
from opsdesk.aftersales.services import case_open, case_reissue_open
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import sto_order, zto_order
from tests.factories import OrderFactory, OrderLineFactory, image_bytes

pytestmark = pytest.mark.postgres

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Attributes a visitor reads (a hover, a placeholder, what a button says once done).
READ_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "data-done", "data-failed"}


class VisibleText(HTMLParser):
    """The page's text nodes and readable attributes, outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in ("script", "style")
        self.texts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


def data_strings(value: Any) -> list[str]:
    """Every string of the case's data (its `--json`), less the labels: those the page must translate."""
    if isinstance(value, dict):
        return [s for key, item in value.items() if not key.endswith("_label") for s in data_strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in data_strings(item)]
    return [value] if isinstance(value, str) else []


class CaseEnglishTestCase(BaseTestCase):
    def untranslated(self, case: Case) -> list[str]:
        order = case.order
        data = "\n".join([*data_strings(case_as_json(case, reveal=False)), order.channel.name, order.order_no,
                          case.note, *(f"{line.name} {line.spec}" for line in order.lines.all()),
                          settings.SHOP_NAME, *(name for _, name in settings.LANGUAGES)])  # each language in its own
        self.client.force_login(self.admin)  # sees every form and button
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get(f"/cases/{case.pk}/")
        self.assertEqual(response.status_code, 200)
        parser = VisibleText()
        parser.feed(response.content.decode())
        return sorted({run for text in parser.texts for run in HAN.findall(text) if run not in data})

    def test_every_case_type_is_english_but_its_data(self) -> None:
        zto, sto = zto_order(), sto_order()
        official = OrderFactory(channel_code="official", order_no="GW2611230001")
        OrderLineFactory(order=official, line_no=1, sku="SKU-GW-1", name="阿莫西林胶囊", qty=1)
        lost = case_open(type="lost_parcel", order_no=zto.order_no, amount="35", note="物流一直未更新", user=self.service)
        case_screenshots_add(case_id=lost.pk, user=self.service, kind="交易截图", files=[("pay.png", image_bytes())])
        cases = [
            lost, case_reissue_open(case_id=lost.pk, user=self.service),
            case_open(type="damaged", order_no=sto.order_no, amount="8", qty=1, user=self.service),
            case_open(type="return_refund", order_no=sto.order_no, user=self.service),
            case_open(type="omit_packing_list", order_no=official.order_no, user=self.operator),
            case_open(type="invoice", order_no=zto.erp_order_no, title="示例公司", tax_id="91350100M000100Y43",
                      email="a@example.com", user=self.service),
            case_open(type="complaint", order_no=zto.order_no, note="顾客投诉 催发货", deadline="2026-11-23T18:00",
                      user=self.service),
        ]
        for case in cases:
            with self.subTest(case.type):
                self.assertEqual(self.untranslated(case), [])
