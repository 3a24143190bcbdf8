"""The back-ends of the notes that are not a channel's own: 万里牛 (before 9:30) and the 电商管理系统 (官网, and the
COD sheet). Example defaults an admin edits."""

from django.db import migrations, models

BACKENDS = [
    ("erp", "万里牛", "https://account.hupun.com/login", 10),
    ("official", "电商管理系统", "http://admin.syt.cn/index", 20),
    ("cod", "电商管理系统", "http://admin.syt.cn/index", 30),
]


def seed(apps, schema_editor):
    BackEnd = apps.get_model("checklist", "BackEnd")
    for section, name, url, sort in BACKENDS:
        BackEnd.objects.get_or_create(section=section, url=url, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):

    dependencies = [
        ('checklist', '0004_item_sign_permission'),
    ]

    operations = [
        migrations.CreateModel(
            name='BackEnd',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('section', models.CharField(choices=[('erp', '万里牛 ERP'), ('yaofangwang', '药房网'), ('official', '官网'), ('marketplaces', '平安好医生 · 苏宁 · 拼多多'), ('cod', '货到付款')], max_length=20, verbose_name='分组')),
                ('name', models.CharField(max_length=40, verbose_name='名称')),
                ('url', models.URLField(verbose_name='链接')),
                ('sort', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
            ],
            options={
                'verbose_name': '后台链接',
                'verbose_name_plural': '后台链接',
                'ordering': ['sort', 'id'],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
