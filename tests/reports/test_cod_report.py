"""The 货到付款 sheet: window, filters, tracking numbers, totals, formula-safe cells and warnings."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from python_calamine import CalamineWorkbook

from opsdesk.core.roles import system_user
from opsdesk.lib.dates import SHANGHAI
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Courier, OrderEvent, OrderStatus, Payment
from opsdesk.orders.services import PHONE_REVEALED
from opsdesk.reports.cod import HEADERS, cod_report, cod_workbook
from opsdesk.rules.models import RxReview
from opsdesk.test import BaseTestCase
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.postgres

DAY = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI)


def cod_order(order_no: str, placed_at: datetime, **fields: object) -> object:
    defaults: dict[str, object] = {
        "status": OrderStatus.ALLOCATING, "status_raw": "配货中", "payment": Payment.COD, "payment_raw": "货到付款",
        "courier": Courier.ZTO, "courier_raw": "中通快递", "tracking_no": f"7300{order_no[-6:]}",
    }
    return OrderFactory(order_no=order_no, placed_at=placed_at, **{**defaults, **fields})


def known_line(**fields: object) -> object:
    """A line whose product the catalogue knows (not Rx): a line of an unknown product holds its order."""
    made = OrderLineFactory(**fields)
    ProductFactory(sku=made.sku, name=made.name)
    return made


def sheet_xml(path: Path) -> str:
    """The first worksheet's XML, to check that no cell holds a formula."""
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def read_rows(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


class CodReportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.out = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cod-test-")))

    def write(self) -> tuple[dict[str, object], list[list[object]]]:
        report = cod_report(day=DAY, out_dir=self.out, user=system_user())
        return report.as_json(), read_rows(Path(report.path))

    def test_each_order_on_the_sheet_records_who_was_given_its_full_phone(self) -> None:
        shown = cod_order("GW0000000005", at(23, 9), receiver_phone="13900005678")
        known_line(order=shown, line_no=1)
        held = cod_order("GW0000000006", at(23, 9))
        OrderLineFactory(order=held, line_no=1, rx=True)  # held out: its phone is not on the sheet
        cod_workbook(day=DAY, user=self.operator)
        events = OrderEvent.objects.filter(kind=PHONE_REVEALED)
        self.assertEqual(list(events.values_list("order__order_no", "user__username", "text")),
                         [("GW0000000005", "operator", "查看了收货人手机号 (货到付款表 2026-11-23)")])

    def test_it_takes_yesterday_00_00_through_the_report_days_end(self) -> None:
        cod_order("GW0000000001", at(22, 0, 0, 0))
        cod_order("GW0000000002", at(23, 23, 59, 59))
        cod_order("GW0000000003", at(21, 23, 59, 59))
        cod_order("GW0000000004", at(24, 0, 0, 0))
        payload, rows = self.write()
        self.assertEqual([row[0] for row in rows[1:-1]], ["GW0000000001", "GW0000000002"])
        self.assertEqual(payload["orders"], 2)

    def test_it_keeps_only_allocating_cod_orders_of_the_official_site(self) -> None:
        cod_order("GW0000000010", at(23, 9))
        cod_order("GW0000000011", at(23, 9), status=OrderStatus.AWAITING_SHIPMENT, status_raw="待发货")
        cod_order("GW0000000012", at(23, 9), status=OrderStatus.SHIPPED, status_raw="已发货")
        cod_order("GW0000000013", at(23, 9), payment=Payment.PLATFORM_PAID, payment_raw="平台收款")
        cod_order("261123-000000000014", at(23, 9), channel_code="pdd")
        payload, rows = self.write()
        self.assertEqual([row[0] for row in rows[1:-1]], ["GW0000000010"])
        self.assertEqual(payload["orders"], 1)

    def test_it_names_the_file_after_the_shop_and_day_with_header_and_total_rows(self) -> None:
        order = cod_order("GW0000000020", at(23, 10, 5), receiver_name="李四", receiver_phone="13900001234")
        known_line(order=order, line_no=1, name="六味地黄丸", spec="200丸", qty=2)
        with override_settings(SHOP_NAME="上元堂"):
            report = cod_report(day=DAY, out_dir=self.out, user=system_user())
        self.assertEqual(Path(report.path).name, "上元堂官网中通货到付款2026-11-23.xlsx")
        rows = read_rows(Path(report.path))
        self.assertEqual(rows[0], HEADERS)
        self.assertEqual(
            rows[1],
            [
                "GW0000000020", "2026-11-23 10:05:00", "李四", "13900001234", "江苏省 南京市 江宁区 " + order.address,
                "六味地黄丸 200丸 ×2", 100.0, "中通快递", "7300000020", "",
            ],
        )
        self.assertEqual(rows[2][:2], ["合计", "1 单"])
        self.assertEqual(rows[2][6], 100.0)
        self.assertEqual(list(self.out.iterdir()), [Path(report.path)])
        with override_settings(SHOP_NAME="上元/堂"):
            self.assertEqual(cod_workbook(day=DAY, user=system_user())[0], "上元-堂官网中通货到付款2026-11-23.xlsx")

    def test_it_counts_each_orders_amount_once_however_many_lines(self) -> None:
        two_lines = cod_order("GW0000000030", at(23, 9), total_amount=Decimal("150.50"))
        known_line(order=two_lines, line_no=1, name="板蓝根颗粒", spec="10g*20袋", qty=1)
        known_line(order=two_lines, line_no=2, name="连花清瘟胶囊", spec="24粒", qty=3)
        cod_order("GW0000000031", at(22, 9), total_amount=Decimal("49.50"))
        payload, rows = self.write()
        self.assertEqual(payload["total_amount"], "200.00")
        self.assertEqual(rows[-1][6], 200.0)
        self.assertEqual(rows[2][5], "板蓝根颗粒 10g*20袋 ×1; 连花清瘟胶囊 24粒 ×3")
        self.assertEqual(len(rows), 4)

    def test_it_writes_formula_like_cells_as_text(self) -> None:
        order = cod_order(
            "GW0000000040", at(23, 9), receiver_name="=HYPERLINK(\"http://example.com\")", address="+1 示例路",
            province="", city="", district="", receiver_phone="-13800000000",
        )
        known_line(order=order, line_no=1, name="@SUM(A1:A9)", spec="", qty=1)
        report = cod_report(day=DAY, out_dir=self.out, user=system_user())
        rows = read_rows(Path(report.path))
        self.assertEqual(rows[1][2], "=HYPERLINK(\"http://example.com\")")
        self.assertEqual(rows[1][3], "-13800000000")
        self.assertEqual(rows[1][4], "+1 示例路")
        self.assertEqual(rows[1][5], "@SUM(A1:A9) ×1")
        self.assertNotIn("<f>", sheet_xml(Path(report.path)))

    def test_it_warns_about_cod_orders_not_by_zto_or_without_tracking_numbers(self) -> None:
        cod_order("GW0000000050", at(23, 9))
        cod_order("GW0000000051", at(23, 9), courier=Courier.STO, courier_raw="申通快递")
        cod_order("GW0000000052", at(23, 9), tracking_no="")
        cod_order("GW0000000053", at(23, 9), courier="", courier_raw="", tracking_no="")
        payload, rows = self.write()
        warnings = payload["warnings"]
        assert isinstance(warnings, list)
        self.assertFalse(any("GW0000000050" in text for text in warnings))
        self.assertTrue(any("GW0000000051" in text and "申通快递" in text for text in warnings))
        self.assertTrue(any("GW0000000052" in text and "快递单号" in text for text in warnings))
        self.assertEqual(sum("GW0000000053" in text for text in warnings), 2)
        self.assertEqual(rows[2][7:], ["申通快递", "7300000051", "非中通"])
        self.assertEqual(rows[3][8:], ["", "无快递单号"])
        self.assertEqual(rows[4][9], "未指定快递、无快递单号")
        self.assertEqual(rows[1][9], "")

    def test_amounts_are_numbers_in_money_format_and_numbers_stay_text(self) -> None:
        cod_order("GW0000000070", at(23, 9), total_amount=Decimal("1234.50"), tracking_no="75000000000070",
                  receiver_phone="13900000070")
        report = cod_report(day=DAY, out_dir=self.out, user=system_user())
        xml = sheet_xml(Path(report.path))
        with zipfile.ZipFile(report.path) as archive:
            styles = archive.read("xl/styles.xml").decode("utf-8")
        self.assertIn('formatCode="#,##0.00"', styles)
        self.assertIn("<v>1234.5</v>", xml)
        rows = read_rows(Path(report.path))
        self.assertEqual((rows[1][0], rows[1][3], rows[1][8], rows[1][6]),
                         ("GW0000000070", "13900000070", "75000000000070", 1234.5))
        self.assertEqual(rows[-1][6], 1234.5)

    def test_a_prescription_not_approved_is_held_off_the_sheet_and_warned(self) -> None:
        rx = cod_order("GW0000000080", at(23, 9), has_rx=True)
        approved = cod_order("GW0000000081", at(23, 10), has_rx=True)
        RxReview.objects.create(order=approved, reviewer=self.pharmacist, at=at(23, 10), decision="approve")
        payload, rows = self.write()
        self.assertIn("GW0000000080: 含处方药, 尚无药师审核通过的处方, 不得按货到付款发出 (未列入表格)",
                      payload["warnings"])
        self.assertFalse(any("GW0000000081" in text for text in payload["warnings"]))
        self.assertEqual(([row[0] for row in rows[1:-1]], payload["orders"], payload["held"]),
                         ([approved.order_no], 1, [rx.order_no]))
        self.assertEqual(rows[-1][1], "1 单")

    def test_the_total_row_names_the_person_responsible_for_cod(self) -> None:
        cod_order("GW0000000090", at(23, 9))
        with override_settings(COD_OWNER="王芳 025-00000000"):
            payload, rows = self.write()
        self.assertEqual(rows[-1][9], "负责人: 王芳 025-00000000")
        self.assertEqual(payload["owner"], "王芳 025-00000000")
        with override_settings(COD_OWNER=""):
            self.assertEqual(self.write()[1][-1][9], "负责人: 未指定 (OPSDESK_COD_OWNER)")

    def test_an_empty_day_still_gives_a_sheet_with_a_zero_total(self) -> None:
        payload, rows = self.write()
        self.assertEqual((payload["orders"], payload["total_amount"], payload["warnings"]), (0, "0.00", []))
        self.assertEqual(rows[1][:2], ["合计", "0 单"])

    def test_the_download_is_the_same_sheet_in_memory(self) -> None:
        cod_order("GW0000000060", at(23, 9))
        name, content, report = cod_workbook(day=DAY, user=system_user())
        self.assertTrue(name.endswith("官网中通货到付款2026-11-23.xlsx"))
        self.assertEqual(content[:2], b"PK")
        self.assertEqual((report.path, report.orders, report.total_amount), (name, 1, Decimal("100.00")))
        path = self.out / name
        path.write_bytes(content)
        self.assertEqual(read_rows(path)[1][0], "GW0000000060")

    def test_an_unwritable_directory_is_refused_and_leaves_no_file(self) -> None:
        cod_order("GW0000000070", at(23, 9))
        blocker = self.out / "not-a-dir"
        blocker.write_text("x", encoding="utf-8")
        with self.assertRaisesMessage(Refused, "无法写入"):
            cod_report(day=DAY, out_dir=blocker / "sub", user=system_user())
        self.assertEqual(list(self.out.iterdir()), [blocker])


    def test_an_order_with_a_product_the_catalogue_lacks_is_held_until_it_is_known(self) -> None:
        """Whether 阿莫西林胶囊 without a known SKU is a prescription drug cannot be told: it must not go out COD."""
        unknown = cod_order("GW0000000060", at(23, 9))
        OrderLineFactory(order=unknown, line_no=1, sku="SYT-NEW", name="阿莫西林胶囊")
        blank = cod_order("GW0000000061", at(23, 10))
        OrderLineFactory(order=blank, line_no=1, sku="", name="阿莫西林胶囊")
        payload, rows = self.write()
        self.assertEqual(payload["held"], ["GW0000000060", "GW0000000061"])
        self.assertEqual((payload["orders"], len(rows)), (0, 2))  # the header and the total row
        self.assertIn("GW0000000060: 有商品不在商品库", "\n".join(payload["warnings"]))
        ProductFactory(sku="SYT-NEW")  # the stock import brought it: not Rx
        payload, rows = self.write()
        self.assertEqual((payload["held"], [row[0] for row in rows[1:-1]]), (["GW0000000061"], ["GW0000000060"]))
