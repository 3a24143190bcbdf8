"""官网 orders are pushed on by hand (筛选待发货、平台收款 → 推到待发货中; 货到付款 → 推到配货中)."""

from django.db import migrations, models


def official_by_hand(apps, schema_editor):
    apps.get_model("orders", "Channel").objects.filter(code="official").update(manual_push=True)


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0006_order_exported_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='channel',
            name='manual_push',
            field=models.BooleanField(default=False, help_text='运营在平台后台筛选待发货订单并推到待发货/配货中 (官网); 待推送的订单计入待发货平台收款、货到付款待推配货', verbose_name='手动推单'),
        ),
        migrations.RunPython(official_by_hand, migrations.RunPython.noop),
    ]
