"""The 拼多多 after-sales export (售后编号, 超时时间…) becomes a source: its kind and its shipped profile."""

from django.db import migrations, models

from opsdesk.imports.defaults import profiles_seed


def seed(apps, schema_editor):
    profiles_seed(apps.get_model("imports", "ImportProfile"))


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0007_importrecord_source_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importprofile',
            name='kind',
            field=models.CharField(choices=[('channel', '平台订单'), ('erp', '万里牛订单'), ('erp_aftersales', '万里牛售后单'), ('wms', 'WMS'), ('stock', '库存'), ('channel_aftersales', '平台售后单')], max_length=20, verbose_name='类型'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
