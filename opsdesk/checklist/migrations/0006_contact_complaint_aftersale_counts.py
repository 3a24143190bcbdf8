"""The last routine steps get their counts (issue 13): the two 官网 contact steps count their lists, 待投诉订单 the
complaints near or past their deadline, and 拼多多's 即将超时的售后 becomes its own item beside the orders'. An item an
admin already bound to another rule, or retitled, is left alone."""

from django.db import migrations, models

# code → (rule it had by default, the rule it counts now)
REBIND = {
    "official-pharmacist-wechat": ("", "rx_wechat"),
    "official-cod-online": ("", "cod_to_push"),
    "market-complaints": ("", "complaint_due"),
}
ORDERS_TITLE = ("拼多多: 即将超时的订单、售后", "拼多多: 即将超时的订单")
AFTERSALES = {"section": "marketplaces", "title": "拼多多: 即将超时的售后", "due": None, "rule": "aftersale_expiring",
              "sort": 235}


def rebind(apps, schema_editor):
    Item = apps.get_model("checklist", "ChecklistItem")
    Channel = apps.get_model("orders", "Channel")
    for code, (was, now) in REBIND.items():
        Item.objects.filter(code=code, rule=was).update(rule=now)
    Item.objects.filter(code="pdd-due-soon", title=ORDERS_TITLE[0]).update(title=ORDERS_TITLE[1])
    item, created = Item.objects.get_or_create(code="pdd-aftersale-expiring", defaults=AFTERSALES)
    if created:
        item.channels.set(Channel.objects.filter(code="pdd"))


class Migration(migrations.Migration):

    dependencies = [
        ('checklist', '0005_backends'),
        ('orders', '0014_channel_aftersale'),
    ]

    operations = [
        migrations.AlterField(
            model_name='checklistitem',
            name='rule',
            field=models.CharField(blank=True, choices=[('ship_overdue', 'ship_overdue'), ('ship_due_soon', 'ship_due_soon'), ('cutoff_missed', 'cutoff_missed'), ('not_allocated', 'not_allocated'), ('rx_review', 'rx_review'), ('unpaid_rx', 'unpaid_rx'), ('buyer_note', 'buyer_note'), ('tcm_spec', 'tcm_spec'), ('stock_short', 'stock_short'), ('cod_courier', 'cod_courier'), ('erp_exception', 'erp_exception'), ('returned_unrefunded', 'returned_unrefunded'), ('aftersales_pending', 'aftersales_pending'), ('logistics_stale', 'logistics_stale'), ('cutoff_unshipped', 'cutoff_unshipped'), ('cutoff_due_today', 'cutoff_due_today'), ('paid_to_push', 'paid_to_push'), ('cod_to_push', 'cod_to_push'), ('rx_wechat', 'rx_wechat'), ('aftersale_expiring', 'aftersale_expiring'), ('complaint_due', 'complaint_due')], help_text='绑定规则后显示该规则当前标记的订单数', max_length=30, verbose_name='规则'),
        ),
        migrations.RunPython(rebind, migrations.RunPython.noop),
    ]
