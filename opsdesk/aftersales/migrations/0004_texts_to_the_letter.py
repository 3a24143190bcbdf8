"""Texts to the letter of the notes: the buyer reply in its three lines, the damaged report with the case's unit
and 如下图:, 交易截图见下条信息: when a screenshot is attached, and the return address per channel (the shop as the
buyer knows it) ending with the handler's phone from their profile. Only texts still at the old default change."""

import importlib

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OLD = importlib.import_module("opsdesk.aftersales.migrations.0002_defaults")
STREET, POSTCODE = "江苏省南京市江宁区东山街道宏运大道2199号上元堂售后收", "211100"
BUYER_REPLY = "尊敬的顾客你好,,因为商品已经发出。\n我司立马拦截快递,如果拦截未成功,劳烦你拒收。\n我司收到退货商品以后立马给你退款。"
# (old fragment, new fragment) applied to the old defaults.
EDITS = [
    ("盒/件", "{{ unit }}"), ("订单信息和破损信息如下:", "订单信息和破损信息如下图:"),
    ("交易截图见下条信息{% endif %}", "交易截图见下条信息:{% endif %}"), ("交易截图见附件。", "交易截图见下条信息:"),
]


def new_text(kind, old):
    if kind == "buyer_reply":
        return BUYER_REPLY
    for before, after in EDITS:
        old = old.replace(before, after)
    return old


def forward(apps, schema_editor):
    MessageTemplate = apps.get_model("aftersales", "MessageTemplate")
    for case_type, kind, courier, old in OLD.TEMPLATES:
        MessageTemplate.objects.filter(case_type=case_type, kind=kind, courier=courier, text=old).update(
            text=new_text(kind, old)
        )
    ReturnAddress = apps.get_model("aftersales", "ReturnAddress")
    config = apps.get_model("aftersales", "AftersalesConfig").objects.order_by("id").first()
    edited = config is not None and config.return_address not in ("", OLD.RETURN_ADDRESS)
    if not ReturnAddress.objects.exists():
        address, postcode = (config.return_address, "") if edited else (STREET, POSTCODE)
        ReturnAddress.objects.create(channel=None, address=address, postcode=postcode)


class Migration(migrations.Migration):

    dependencies = [
        ('aftersales', '0003_send_outbox'),
        ('orders', '0009_product_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='unit',
            field=models.CharField(blank=True, choices=[('盒', '盒'), ('件', '件')], max_length=2, verbose_name='单位'),
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^[0-9][0-9-]{4,19}$', '只能是数字和 -, 例如 13800000000 或 025-00000000')], verbose_name='手机号码')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '用户资料',
                'verbose_name_plural': '用户资料',
            },
        ),
        migrations.CreateModel(
            name='ReturnAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.CharField(max_length=200, verbose_name='地址及收件人')),
                ('shop', models.CharField(blank=True, help_text='留空: 店铺名加平台名, 例如 上元堂拼多多', max_length=60, verbose_name='店铺')),
                ('postcode', models.CharField(blank=True, max_length=10, verbose_name='邮编')),
                ('channel', models.OneToOneField(blank=True, help_text='留空: 没有单独设置的平台都用这一条', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='return_address', to='orders.channel', verbose_name='平台')),
            ],
            options={
                'verbose_name': '退货地址',
                'verbose_name_plural': '退货地址',
                'ordering': ['channel__sort', 'id'],
            },
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='aftersalesconfig',
            name='return_address',
        ),
    ]
