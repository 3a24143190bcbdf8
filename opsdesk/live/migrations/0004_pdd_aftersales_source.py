"""The twelfth source, 拼多多's after-sales export, gets its freshness row (a new database has it from 0002)."""

from django.db import migrations

from opsdesk.live.sources import CHANNEL_MAX_AGE, DEFAULT_SOURCES


def add_source(apps, schema_editor):
    SourcePolicy = apps.get_model("live", "SourcePolicy")
    sort = next(n for n, (source, _, _) in enumerate(DEFAULT_SOURCES) if source == "pdd_aftersales")
    SourcePolicy.objects.get_or_create(source="pdd_aftersales", defaults={
        "label": "拼多多售后单", "max_age_minutes": CHANNEL_MAX_AGE, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("live", "0003_schedule_task_choices")]
    operations = [migrations.RunPython(add_source, migrations.RunPython.noop)]
