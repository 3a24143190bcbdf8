"""logistics_stale's age (72 h by default), and a settings row for each rule added since 0002."""

from django.db import migrations, models

SEVERITIES = {
    "logistics_stale": "medium", "cutoff_unshipped": "high", "cutoff_due_today": "medium", "paid_to_push": "medium",
    "cod_to_push": "medium",
}


def seed(apps, schema_editor):
    RuleConfig = apps.get_model("rules", "RuleConfig")
    for code, severity in SEVERITIES.items():
        RuleConfig.objects.get_or_create(code=code, defaults={"severity": severity, "warning_hours": 6})


class Migration(migrations.Migration):

    dependencies = [
        ('rules', '0004_ack_order_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='ruleconfig',
            name='stale_hours',
            field=models.PositiveIntegerField(default=72, help_text='已发货未签收的订单, 物流最后更新(没有则发货时间)超过这么多小时算物流长时间未更新', verbose_name='物流未更新时长(小时)'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
