"""The routine's counting steps get their rules (issue 13): 药房网's batch due today, the 官网 push steps, and the
stale-logistics check in the all-day section. An item an admin already bound to another rule is left alone."""

from django.db import migrations, models

# code → (rule it had by default, the rule it counts now)
REBIND = {
    "yfw-cutoff": ("cutoff_missed", "cutoff_unshipped"),
    "yfw-ship-before-16": ("", "cutoff_due_today"),
    "official-awaiting-paid": ("", "paid_to_push"),
    "official-push": ("", "paid_to_push"),
    "cod-push-allocating": ("", "cod_to_push"),
}
STALE = {"section": "marketplaces", "title": "物流一直未更新: 顾客投诉之前登记丢件", "due": None,
         "rule": "logistics_stale", "sort": 245}


def rebind(apps, schema_editor):
    Item = apps.get_model("checklist", "ChecklistItem")
    for code, (was, now) in REBIND.items():
        Item.objects.filter(code=code, rule=was).update(rule=now)
    Item.objects.get_or_create(code="logistics-stale", defaults=STALE)


class Migration(migrations.Migration):

    dependencies = [
        ('checklist', '0002_default_items'),
    ]

    operations = [
        migrations.AlterField(
            model_name='checklistitem',
            name='rule',
            field=models.CharField(blank=True, choices=[('ship_overdue', 'ship_overdue'), ('ship_due_soon', 'ship_due_soon'), ('cutoff_missed', 'cutoff_missed'), ('not_allocated', 'not_allocated'), ('rx_review', 'rx_review'), ('unpaid_rx', 'unpaid_rx'), ('buyer_note', 'buyer_note'), ('tcm_spec', 'tcm_spec'), ('stock_short', 'stock_short'), ('cod_courier', 'cod_courier'), ('erp_exception', 'erp_exception'), ('returned_unrefunded', 'returned_unrefunded'), ('aftersales_pending', 'aftersales_pending'), ('logistics_stale', 'logistics_stale'), ('cutoff_unshipped', 'cutoff_unshipped'), ('cutoff_due_today', 'cutoff_due_today'), ('paid_to_push', 'paid_to_push'), ('cod_to_push', 'cod_to_push')], help_text='绑定规则后显示该规则当前标记的订单数', max_length=30, verbose_name='规则'),
        ),
        migrations.RunPython(rebind, migrations.RunPython.noop),
    ]
