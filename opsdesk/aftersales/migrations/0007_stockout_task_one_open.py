"""One open stock-out task per listing, held by the database. Two marks of one SKU at once could each make one
(PostgreSQL): of such twins the earliest stays open and the others are superseded, at the moment of the migration,
before the constraint is added. None is deleted."""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def twins_supersede(apps: Any, schema_editor: Any) -> None:
    tasks = apps.get_model("aftersales", "StockoutTask")
    kept: set[int] = set()
    at = timezone.now()
    for task in tasks.objects.filter(done_at=None, superseded_at=None).order_by("created_at", "pk").only("pk", "listing"):
        if task.listing_id in kept:
            tasks.objects.filter(pk=task.pk).update(superseded_at=at)
        kept.add(task.listing_id)


class Migration(migrations.Migration):

    dependencies = [
        ("aftersales", "0006_complaint"),
        ("orders", "0021_queue_indexes_covering"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(twins_supersede, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stockouttask",
            constraint=models.UniqueConstraint(
                condition=models.Q(("done_at__isnull", True), ("superseded_at__isnull", True)), fields=("listing",),
                name="stockout_task_one_open"),
        ),
    ]
