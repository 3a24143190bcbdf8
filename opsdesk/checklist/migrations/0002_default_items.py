"""The routine of the notes (运营日常) as the default checklist: every step, grouped by its deadline.
Example defaults an admin edits; codes are stable (`opsdesk checklist sign CODE`)."""

from __future__ import annotations

import datetime

from django.db import migrations

T0930, T1000, T1700 = datetime.time(9, 30), datetime.time(10, 0), datetime.time(17, 0)
MARKETPLACES = ("pingan", "suning", "pdd")

# (code, section, title, due, rule, channel codes)
ITEMS = [
    ("erp-auto-audit", "erp", "系统已经自动审核", T0930, "", ()),
    ("erp-abnormal", "erp", "关注异常订单", T0930, "erp_exception", ()),
    ("erp-wms-unshipped", "erp", "WMS配货状态订单(存在未发货)", T0930, "not_allocated", ()),
    ("erp-channel-notes", "erp", "按平台备注处理", T0930, "buyer_note", ()),
    ("erp-tcm-spec", "erp", "特别注意中药品规格", T0930, "tcm_spec", ()),
    ("yfw-cutoff", "yaofangwang", "前一天17:00之前的订单是否已经发出", T0930, "cutoff_missed", ("yaofangwang",)),
    ("yfw-wms-allocated", "yaofangwang", "WMS查询是否分配完成", T0930, "not_allocated", ("yaofangwang",)),
    ("yfw-ship-before-16", "yaofangwang", "留意当天订单下午16点之前发出", T0930, "", ("yaofangwang",)),
    ("yfw-rx-review", "yaofangwang", "处方单审核", T0930, "rx_review", ("yaofangwang",)),
    ("yfw-aftersales", "yaofangwang", "退货退款", T0930, "aftersales_pending", ("yaofangwang",)),
    ("yfw-buyer-message", "yaofangwang", "买家留言", T0930, "buyer_note", ("yaofangwang",)),
    ("official-awaiting-paid", "official", "全部订单筛选待发货、平台收款", T1000, "", ("official",)),
    ("official-stock", "official", "推送之前查看一下库存", T1000, "stock_short", ("official",)),
    ("official-customer-notes", "official", "关注客户备注", T1000, "buyer_note", ("official",)),
    ("official-push", "official", "推到待发货中", T1000, "", ("official",)),
    ("official-pharmacist-wechat", "official", "引导顾客加药师微信", T1000, "", ("official",)),
    ("official-cod-online", "official", "引导货到付款顾客在线支付", T1000, "", ("official",)),
    ("official-unpaid-rx", "official", "待付款订单核实是否包含处方药", T1000, "unpaid_rx", ("official",)),
    ("market-ship-overdue", "marketplaces", "待发货订单是否超时", None, "ship_overdue", MARKETPLACES),
    ("market-aftersales", "marketplaces", "待处理退货退款", None, "aftersales_pending", MARKETPLACES),
    ("market-complaints", "marketplaces", "待投诉订单", None, "", MARKETPLACES),
    ("market-wms-allocated", "marketplaces", "WMS查询是否分配成功", None, "not_allocated", MARKETPLACES),
    ("pdd-due-soon", "marketplaces", "拼多多: 即将超时的订单、售后", None, "ship_due_soon", ("pdd",)),
    ("market-erp-returns", "marketplaces", "退货: 万里牛有备注记录(新建售后单)未退款", None, "returned_unrefunded", MARKETPLACES),
    ("cod-push-allocating", "cod", "待发货的货到付款订单数, 推到配货中", T1700, "", ("official",)),
    ("cod-sheet", "cod", "导出配货中的货到付款订单, WMS查物流, 生成货到付款表格", T1700, "", ("official",)),
    ("cod-zto", "cod", "指定中通快递", T1700, "cod_courier", ()),
    ("cod-erp-notes", "cod", "万里牛备注", T1700, "", ()),
]


def seed(apps, schema_editor):
    Item = apps.get_model("checklist", "ChecklistItem")
    Channel = apps.get_model("orders", "Channel")
    for sort, (code, section, title, due, rule, channels) in enumerate(ITEMS, start=1):
        item, created = Item.objects.get_or_create(
            code=code, defaults={"section": section, "title": title, "due": due, "rule": rule, "sort": sort * 10}
        )
        if created:
            item.channels.set(Channel.objects.filter(code__in=channels))


class Migration(migrations.Migration):
    dependencies = [("checklist", "0001_initial"), ("orders", "0002_channels")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
