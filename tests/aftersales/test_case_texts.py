"""Every text of the notes, rendered for a ZTO order and an STO order, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opsdesk.aftersales.messages import case_messages, claim_email
from opsdesk.aftersales.models import AftersalesConfig, Case, MessageTemplate, Profile, ReturnAddress
from opsdesk.aftersales.selectors import case_as_json
from opsdesk.aftersales.services import case_advance, case_open, case_reissue_open
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel, Product
from opsdesk.test import BaseTestCase
from tests.aftersales.helpers import STO_TRACKING, ZTO_TRACKING, sto_order, zto_order
from tests.factories import OrderFactory, OrderLineFactory, image_bytes

pytestmark = pytest.mark.postgres

# The notes' own lines (routine-notes.md / .txt), placeholders and all: the tests fill them in.
BUYER_REPLY = "尊敬的顾客你好,,因为商品已经发出。\n我司立马拦截快递,如果拦截未成功,劳烦你拒收。\n我司收到退货商品以后立马给你退款。"
NOTES_TIP = "您好 请保证商品的完好无损 不影响二次销售 否则拒收 拒绝货到付款 谢谢"
NOTES_ADDRESS = "江苏省南京市江宁区东山街道宏运大道2199号上元堂售后收 上元堂苏宁 211100 处理人自身手机号码"
NOTES_DAMAGED = "原因: 商品破损xx盒/件,记已退款给顾客,麻烦记破损金额x元"
PHONE = "13800000001"  # made up


def return_tip(shop: str = "上元堂苏宁", phone: str = PHONE) -> str:
    address = NOTES_ADDRESS.replace("上元堂苏宁", shop).replace("处理人自身手机号码", phone).rstrip()
    return f"{NOTES_TIP}\n{address}"


def damaged_reason(qty: int, unit: str, amount: str) -> str:
    return NOTES_DAMAGED.replace("xx盒/件", f"{qty}{unit}").replace("x元", f"{amount}元")


def texts(case: Case) -> dict[str, tuple[str, str]]:
    return {m.kind: (m.to, m.text) for m in case_messages(case)}


class CaseTextsTestCase(BaseTestCase):
    def test_the_return_of_a_zto_order_reads_like_the_notes(self) -> None:
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        zto_texts = texts(case)
        self.assertEqual(zto_texts["buyer_reply"], ("买家 (拼多多)", BUYER_REPLY))
        self.assertEqual(zto_texts["courier_report"], (
            "上元堂对接群",
            f"原因: 麻烦拦截退回 谢谢\n运单单号: {ZTO_TRACKING}\n收货人地址: 张女士,13900000000 山东省 青岛市 李沧区示例路1号1单元101",
        ))
        self.assertEqual(zto_texts["return_tip"][1], return_tip("上元堂拼多多"))
        self.assertNotIn("上元堂苏宁", zto_texts["return_tip"][1])

    def test_the_return_of_an_sto_order_goes_to_the_dingtalk_group(self) -> None:
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        report = texts(case)["courier_report"]
        self.assertEqual(report, (
            "上元堂申通查件",
            f"原因: 麻烦拦截退回 谢谢\n运单单号: {STO_TRACKING}\n收货人地址: 李先生,13700000000 江苏省 南京市 江宁区示例大道2号",
        ))

    def test_a_lost_zto_parcel(self) -> None:
        case = case_open(
            type="lost_parcel", order_no="201122-123456789012345", amount="35", user=self.service,
            note="顾客已多次投诉 物流一直未更新 顾客继续用药 麻烦具体反馈下 已安排补发",
            screenshots=[("交易截图.png", image_bytes())],
        )
        self.assertEqual(texts(case)["courier_report"], ("上元堂对接群", (
            "原因: 暂记丢件 35元 顾客已多次投诉 物流一直未更新 顾客继续用药 麻烦具体反馈下 已安排补发\n"
            f"快递单号: {ZTO_TRACKING}\n"
            "收货地址: 张女士 13900000000 山东省 青岛市 李沧区示例路1号1单元101\n"
            "交易截图见下条信息:"
        )))
        email = claim_email(case)
        assert email is not None
        self.assertEqual(email.to, [
            "claims-required@example.com", "claims-wanli@example.com", "aftersales@example.com",
            "zto-service@example.com",
        ])
        self.assertEqual(email.subject, f"上元堂 丢件理赔 中通快递 {ZTO_TRACKING} 暂记35元")
        self.assertIn("订单编号: 201122-123456789012345\n快递公司: 中通快递\n", email.body)
        self.assertIn("记责金额: 35元\n", email.body)
        self.assertIn("已安排补发\n交易截图见附件。\n", email.body)

    def test_a_lost_parcel_report_says_the_reissue_is_arranged_once_it_is(self) -> None:
        case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="35", user=self.service,
                         note="物流一直未更新")
        first = texts(case)["courier_report"][1].splitlines()[0]
        self.assertEqual(first, "原因: 暂记丢件 35元 物流一直未更新")
        case_reissue_open(case_id=case.pk, user=self.service)
        self.assertEqual(texts(case)["courier_report"][1].splitlines()[0], "原因: 暂记丢件 35元 物流一直未更新 已安排补发")
        said = case_open(type="lost_parcel", order_no="SN200910027912111", amount="35", user=self.service,
                         note="顾客继续用药 已安排补发")
        case_reissue_open(case_id=said.pk, user=self.service)
        self.assertEqual(texts(said)["courier_report"][1].splitlines()[0], "原因: 暂记丢件 35元 顾客继续用药 已安排补发")

    def test_a_damaged_sto_parcel(self) -> None:
        case = case_open(type="damaged", order_no="SN200910027912111", amount="12.50", qty=2, user=self.service)
        self.assertEqual(texts(case)["courier_report"], ("上元堂申通查件", (
            f"{damaged_reason(2, '盒', '12.50')}\n"
            f"快递物流: {STO_TRACKING}\n"
            "收货地址: 李先生 13700000000 江苏省 南京市 江宁区示例大道2号\n"
            "订单信息和破损信息如下图:\n"
            "订单编号: SN200910027912111\n"
            "快递公司: 申通快递\n"
            f"快递单号: {STO_TRACKING}\n"
            "记责金额: 12.50元"
        )))
        email = claim_email(case)
        assert email is not None
        self.assertEqual(email.to[-2:], ["sto-service-1@example.com", "sto-service-2@example.com"])
        self.assertEqual(len(email.to), 5)
        self.assertEqual(email.subject, f"上元堂 破损理赔 申通快递 {STO_TRACKING} 记责12.50元")
        self.assertEqual(email.attachments, [])

    def test_a_damaged_report_with_a_screenshot_ends_as_the_notes_do(self) -> None:
        case = case_open(type="damaged", order_no="SN200910027912111", amount="12.50", qty=2, user=self.service,
                         screenshots=[("交易截图.png", image_bytes())])
        self.assertTrue(texts(case)["courier_report"][1].endswith("\n记责金额: 12.50元\n交易截图:"))
        email = claim_email(case)
        assert email is not None
        self.assertIn("\n交易截图见附件。\n", email.body)
        self.assertEqual(len(email.attachments), 1)

    def test_the_reissue_note_uses_the_reissue_skus(self) -> None:
        case = case_open(type="reissue", order_no="SN200910027912111", user=self.operator)
        self.assertEqual(texts(case)["erp_note"], ("电商管理系统", "苏宁 SN200910027912111 补发 板蓝根颗粒、维生素C片"))
        lines = case_as_json(case)["reissue_lines"]
        self.assertEqual([(x["sku"], x["reissue_sku"]) for x in lines], [
            ("SKU-STO-1", "BF-STO-1"), ("SKU-STO-2", "BF-STO-2"),
        ])

    def test_the_reissue_falls_back_to_the_configured_default_sku(self) -> None:
        AftersalesConfig.objects.update(reissue_sku_default="BF-DEFAULT")
        case = case_open(type="reissue", order_no="201122-123456789012345", user=self.operator)
        self.assertEqual(texts(case)["erp_note"][1], "拼多多 201122-123456789012345 补发 感冒灵颗粒")
        self.assertEqual(case_as_json(case)["reissue_lines"][0]["reissue_sku"], "BF-DEFAULT")

    def test_the_packing_list_note_goes_to_the_warehouse_chat(self) -> None:
        order = OrderFactory(channel_code="official", order_no="GW2611230000999")
        OrderLineFactory(order=order, line_no=1)
        case = case_open(type="omit_packing_list", order_no="GW2611230000999", user=self.operator)
        self.assertEqual(texts(case)["warehouse_note"], ("UM电商群", "GW2611230000999 不放清单"))

    def test_an_invoice_request_lists_the_erp_number_title_tax_id_and_email(self) -> None:
        case = case_open(
            type="invoice", order_no="XD201122000001", title="示例科技有限公司", tax_id="91350100M000100Y43",
            email="invoice@example.com", user=self.service,
        )
        self.assertEqual(texts(case)["invoice_request"][1], (
            "发票\n提供万里牛XD开头订单编号: XD201122000001\n信息:\n抬头: 示例科技有限公司\n税号: 91350100M000100Y43\n"
            "邮箱地址: invoice@example.com"
        ))
        self.assertEqual(case.amount, None)

    def test_an_admin_edited_template_for_one_courier_wins_and_is_not_html_escaped(self) -> None:
        MessageTemplate.objects.create(
            case_type="return_refund", kind="courier_report", courier="zto",
            text="<中通> {{ tracking_no }} & {{ receiver_name }}",
        )
        zto = case_open(user=self.service, type="return_refund", order_no="201122-123456789012345")
        sto = case_open(user=self.service, type="return_refund", order_no="SN200910027912111")
        self.assertEqual(texts(zto)["courier_report"][1], f"<中通> {ZTO_TRACKING} & 张女士")
        self.assertTrue(texts(sto)["courier_report"][1].startswith("原因: 麻烦拦截退回 谢谢"))

    def test_amounts_keep_their_cents(self) -> None:
        case = case_open(user=self.service, type="lost_parcel", order_no="201122-123456789012345", amount="¥1,234.5")
        self.assertEqual(case.amount, Decimal("1234.50"))
        self.assertIn("暂记丢件 1234.50元", texts(case)["courier_report"][1])

    def test_every_text_for_both_couriers(self) -> None:
        couriers = {
            "201122-123456789012345": ("上元堂对接群", "中通快递", ZTO_TRACKING, "张女士", "13900000000 山东省 青岛市 李沧区示例路1号1单元101", "上元堂拼多多"),
            "SN200910027912111": ("上元堂申通查件", "申通快递", STO_TRACKING, "李先生", "13700000000 江苏省 南京市 江宁区示例大道2号", "上元堂苏宁"),
        }
        for order_no, (group, courier, tracking, name, where, shop) in couriers.items():
            returned = texts(case_open(user=self.service, type="return_refund", order_no=order_no))
            self.assertEqual(returned["buyer_reply"][1], BUYER_REPLY)
            self.assertEqual(returned["return_tip"][1], return_tip(shop, PHONE))
            self.assertEqual(returned["courier_report"], (group, f"原因: 麻烦拦截退回 谢谢\n运单单号: {tracking}\n收货人地址: {name},{where}"))
            lost = texts(case_open(user=self.service, type="lost_parcel", order_no=order_no, amount="20", note="物流一直未更新"))
            self.assertEqual(lost["courier_report"], (group, f"原因: 暂记丢件 20元 物流一直未更新\n快递单号: {tracking}\n收货地址: {name} {where}"))
            damaged = texts(case_open(user=self.service, type="damaged", order_no=order_no, amount="8", qty=3))
            self.assertEqual(damaged["courier_report"], (group, (
                f"{damaged_reason(3, '盒', '8')}\n快递物流: {tracking}\n收货地址: {name} {where}\n"
                f"订单信息和破损信息如下图:\n订单编号: {order_no}\n快递公司: {courier}\n快递单号: {tracking}\n记责金额: 8元"
            )))

    def test_admins_may_show_the_masked_phone(self) -> None:
        MessageTemplate.objects.filter(case_type="return_refund", kind="buyer_reply").update(text="{{ phone_masked }}")
        self.assertEqual(texts(case_open(user=self.service, type="return_refund", order_no="SN200910027912111"))["buyer_reply"][1], "137****0000")

    def test_the_return_tip_of_a_suning_return_is_the_notes_line_with_the_handlers_phone(self) -> None:
        case = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        self.assertEqual(texts(case)["return_tip"][1], return_tip("上元堂苏宁", PHONE))
        self.assertEqual(case_as_json(case)["warnings"], [])
        Profile.objects.filter(user=self.service).update(phone="")
        self.assertIn("处理人没有设置手机号码", case_as_json(case)["warnings"][0])

    def test_a_channel_may_have_its_own_return_address(self) -> None:
        pdd = Channel.objects.get(code="pdd")
        ReturnAddress.objects.create(channel=pdd, address="示例省示例市示例路9号售后收", shop="上元堂拼多多店", postcode="100000")
        case = case_open(type="return_refund", order_no="201122-123456789012345", user=self.service)
        self.assertEqual(texts(case)["return_tip"][1], f"{NOTES_TIP}\n示例省示例市示例路9号售后收 上元堂拼多多店 100000 {PHONE}")
        other = case_open(type="return_refund", order_no="SN200910027912111", user=self.service)
        self.assertEqual(texts(other)["return_tip"][1], return_tip("上元堂苏宁", PHONE))

    def test_the_damaged_unit_comes_from_the_product_or_the_case_and_never_reads_box_slash_piece(self) -> None:
        Product.objects.filter(sku="SKU-STO-1").update(unit="件")
        by_product = case_open(type="damaged", order_no="SN200910027912111", amount="8", qty=2, user=self.service)
        self.assertEqual(by_product.unit, "件")
        self.assertTrue(texts(by_product)["courier_report"][1].startswith(damaged_reason(2, "件", "8") + "\n"))
        case_advance(case_id=by_product.pk, to_state="cancelled", user=self.service)
        chosen = case_open(type="damaged", order_no="SN200910027912111", amount="8", qty=2, unit="盒", user=self.service)
        self.assertTrue(texts(chosen)["courier_report"][1].startswith("原因: 商品破损2盒,"))
        self.assertNotIn("盒/件", texts(chosen)["courier_report"][1])
        with self.assertRaisesMessage(Refused, "单位"):
            case_open(user=self.service, type="damaged", order_no="201122-123456789012345", amount="8", qty=2, unit="瓶")

    def test_a_claim_without_a_screenshot_says_nothing_of_it_and_warns(self) -> None:
        case = case_open(type="lost_parcel", order_no="201122-123456789012345", amount="35", user=self.service)
        self.assertNotIn("交易截图", texts(case)["courier_report"][1])
        email = claim_email(case)
        assert email is not None
        self.assertNotIn("交易截图", email.body)
        self.assertIn("没有交易截图", case_as_json(case)["warnings"][0])

    def setUp(self) -> None:
        zto_order()
        sto_order()
        Profile.objects.create(user=self.service, phone=PHONE)
