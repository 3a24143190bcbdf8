"""Where a channel's product pages are (stock-out tasks link to them): 拼多多's goods page by its 商品id."""

from django.db import migrations, models

PAGES = {"pdd": "https://mobile.yangkeduo.com/goods.html?goods_id={item_id}"}


def seed(apps, schema_editor):
    Channel = apps.get_model("orders", "Channel")
    for code, pattern in PAGES.items():
        Channel.objects.filter(code=code, product_url="").update(product_url=pattern)


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0009_product_unit'),
    ]

    operations = [
        migrations.AddField(
            model_name='channel',
            name='product_url',
            field=models.CharField(blank=True, help_text='平台商品页的链接, {item_id} 处填平台商品ID; 例如 https://mobile.yangkeduo.com/goods.html?goods_id={item_id}', max_length=300, verbose_name='商品页链接模板'),
        ),
        migrations.AddField(
            model_name='listing',
            name='url',
            field=models.URLField(blank=True, db_default='', help_text='留空 = 按平台的商品页链接模板', max_length=300, verbose_name='商品页链接'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
