from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0010_product_pages'),
    ]

    operations = [
        migrations.AlterField(
            model_name='listing',
            name='url',
            field=models.URLField(blank=True, db_default='', default='', help_text='留空 = 按平台的商品页链接模板', max_length=300, verbose_name='商品页链接'),
        ),
    ]
