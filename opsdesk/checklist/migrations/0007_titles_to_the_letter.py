"""The steps' titles as the notes write them (the operator finds her own words), where a default had put them in
other words; the notes' 代付款 is their typo for 待付款. An item an admin retitled is left alone."""

from typing import Any

from django.db import migrations

# code → (the default title, the notes' words)
TITLES = {
    "erp-channel-notes": ("按平台备注处理", "按平台备注"),
    "yfw-cutoff": ("前一天17:00之前的订单是否已经发出", "发货订单前一天17:00之前订单是否已经发出"),
    "yfw-ship-before-16": ("留意当天订单下午16点之前发出", "留意下午16点之前发出"),
    "official-pharmacist-wechat": ("引导顾客加药师微信", "加药师微信"),
    "official-cod-online": ("引导货到付款顾客在线支付", "引导在线支付"),
    "official-unpaid-rx": ("待付款订单核实是否包含处方药", "待付款核实一下包含处方药"),
    "market-erp-returns": ("退货: 万里牛有备注记录(新建售后单)未退款", "退货万里牛有备注记录"),
}


def retitle(apps: Any, *, back: bool) -> None:
    item = apps.get_model("checklist", "ChecklistItem")
    for code, titles in TITLES.items():
        old, new = reversed(titles) if back else titles
        item.objects.filter(code=code, title=old).update(title=new)


class Migration(migrations.Migration):
    dependencies = [("checklist", "0006_contact_complaint_aftersale_counts")]

    operations = [migrations.RunPython(lambda apps, _: retitle(apps, back=False),
                                       lambda apps, _: retitle(apps, back=True))]
