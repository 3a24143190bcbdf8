"""The seven channels of the notes, as editable example defaults."""

from __future__ import annotations

import datetime

from django.db import migrations

CHANNELS = [
    ("official", "官网", "http://admin.syt.cn/index", None, None, None),
    ("yaofangwang", "药房网", "https://www.yaofangwang.com/", 24, datetime.time(17, 0), datetime.time(16, 0)),
    ("pingan", "平安好医生", "https://www.jk.cn/sell/", 48, None, None),
    ("suning", "苏宁", "https://mpassport.suning.com/ids/login", 48, None, None),
    ("pdd", "拼多多", "https://mms.pinduoduo.com/home", 48, None, None),
    ("jiage315", "315", "https://www.315jiage.cn/", 48, None, None),
    ("xywy", "寻医问药", "http://storeadmin.wksc.xywy.com/login/index.html", 48, None, None),
]


def seed(apps, schema_editor):
    Channel = apps.get_model("orders", "Channel")
    for sort, (code, name, url, promise, cutoff, cutoff_ship) in enumerate(CHANNELS):
        Channel.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "login_url": url, "ship_promise_hours": promise,
                "cutoff_time": cutoff, "cutoff_ship_time": cutoff_ship, "sort": sort,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
