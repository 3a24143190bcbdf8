from django.db import migrations

from opsdesk.live.sources import DEFAULT_SCHEDULES, DEFAULT_SOURCES


def add_defaults(apps, schema_editor):
    SourcePolicy = apps.get_model("live", "SourcePolicy")
    Schedule = apps.get_model("live", "Schedule")
    ReminderPlan = apps.get_model("live", "ReminderPlan")
    for sort, (source, label, minutes) in enumerate(DEFAULT_SOURCES):
        SourcePolicy.objects.get_or_create(source=source, defaults={"label": label, "max_age_minutes": minutes,
                                                                    "sort": sort})
    for code, title, task, kwargs, every, starts, ends, source, enabled in DEFAULT_SCHEDULES:
        Schedule.objects.get_or_create(code=code, defaults={
            "title": title, "task": task, "kwargs": kwargs, "every_minutes": every, "starts": starts, "ends": ends,
            "source": source, "enabled": enabled,
        })
    if not ReminderPlan.objects.exists():
        ReminderPlan.objects.create()


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
