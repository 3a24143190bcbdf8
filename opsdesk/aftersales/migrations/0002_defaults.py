"""The example defaults from the operator's notes: message texts, chat groups, claim mailboxes, return address.
All of it is configuration an admin edits; existing rows are never overwritten."""

from __future__ import annotations

from django.db import migrations

RETURN_ADDRESS = "江苏省南京市江宁区东山街道宏运大道2199号上元堂售后收 上元堂苏宁 211100 025-00000000"

RECEIVER = "{{ receiver_name }} {{ phone }} {{ province }} {{ city }} {{ street_address }}"

CLAIM_EMAIL_BODY = (
    "您好:\n\n"
    "{{ shop }}申请{{ case_type }}理赔, 信息如下:\n"
    "订单编号: {{ order_no }}\n"
    "快递公司: {{ courier_name }}\n"
    "快递单号: {{ tracking_no }}\n"
    "记责金额: {{ amount }}元\n"
    "收货地址: " + RECEIVER + "\n"
    "{% if note %}说明: {{ note }}\n{% endif %}"
    "{% if screenshots %}交易截图见附件。\n{% endif %}"
    "\n谢谢!\n{{ shop }}售后"
)

TEMPLATES = [
    ("return_refund", "buyer_reply", "",
     "尊敬的顾客你好,因为商品已经发出。我司立马拦截快递,如果拦截未成功,劳烦你拒收。我司收到退货商品以后立马给你退款。"),
    ("return_refund", "courier_report", "",
     "原因: 麻烦拦截退回 谢谢\n"
     "运单号: {{ tracking_no }}\n"
     "收货人地址: {{ receiver_name }},{{ phone }} {{ province }} {{ city }} {{ street_address }}"),
    ("return_refund", "return_tip", "",
     "您好 请保证商品的完好无损 不影响二次销售 否则拒收 拒绝货到付款 谢谢\n{{ return_address }}"),
    ("lost_parcel", "courier_report", "",
     "原因: 暂记丢件 {{ amount }}元{% if note %} {{ note }}{% endif %}\n"
     "快递单号: {{ tracking_no }}\n"
     "收货地址: " + RECEIVER +
     "{% if screenshots %}\n交易截图见下条信息{% endif %}"),
    ("lost_parcel", "email_subject", "", "{{ shop }} 丢件理赔 {{ courier_name }} {{ tracking_no }} 暂记{{ amount }}元"),
    ("lost_parcel", "email_body", "", CLAIM_EMAIL_BODY),
    ("damaged", "courier_report", "",
     "原因: 商品破损{{ qty }}盒/件,记已退款给顾客,麻烦记破损金额{{ amount }}元\n"
     "快递物流: {{ tracking_no }}\n"
     "收货地址: " + RECEIVER + "\n"
     "订单信息和破损信息如下:\n"
     "订单编号: {{ order_no }}\n"
     "快递公司: {{ courier_name }}\n"
     "快递单号: {{ tracking_no }}\n"
     "记责金额: {{ amount }}元"
     "{% if screenshots %}\n交易截图见下条信息{% endif %}"),
    ("damaged", "email_subject", "", "{{ shop }} 破损理赔 {{ courier_name }} {{ tracking_no }} 记责{{ amount }}元"),
    ("damaged", "email_body", "", CLAIM_EMAIL_BODY),
    ("reissue", "erp_note", "", "{{ channel }} {{ order_no }} 补发 {{ product_names }}"),
    ("omit_packing_list", "warehouse_note", "", "{{ order_no }} 不放清单"),
    ("invoice", "invoice_request", "",
     "发票申请\n万里牛订单号: {{ erp_order_no }}\n抬头: {{ invoice_title }}\n税号: {{ tax_id }}\n邮箱: {{ invoice_email }}"),
]

GROUPS = [
    # name, app, purpose, courier
    ("上元堂申通查件", "dingtalk", "courier", "sto"),
    ("上元堂对接群", "qq", "courier", "zto"),
    ("UM电商群", "um", "warehouse", ""),
]

RECIPIENTS = [
    ("required", "", "claims-required@example.com"),
    ("wanli", "", "claims-wanli@example.com"),
    ("aftersales", "", "aftersales@example.com"),
    ("courier_service", "zto", "zto-service@example.com"),
    ("courier_service", "sto", "sto-service-1@example.com"),
    ("courier_service", "sto", "sto-service-2@example.com"),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("aftersales", "MessageTemplate")
    ChatGroup = apps.get_model("aftersales", "ChatGroup")
    Recipient = apps.get_model("aftersales", "Recipient")
    AftersalesConfig = apps.get_model("aftersales", "AftersalesConfig")
    for case_type, kind, courier, text in TEMPLATES:
        MessageTemplate.objects.get_or_create(case_type=case_type, kind=kind, courier=courier, defaults={"text": text})
    for name, app, purpose, courier in GROUPS:
        ChatGroup.objects.get_or_create(name=name, defaults={"app": app, "purpose": purpose, "courier": courier})
    for role, courier, email in RECIPIENTS:
        Recipient.objects.get_or_create(role=role, courier=courier, email=email)
    if not AftersalesConfig.objects.exists():
        AftersalesConfig.objects.create(return_address=RETURN_ADDRESS)


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
