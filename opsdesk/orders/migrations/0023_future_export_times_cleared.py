"""Export times ahead of now are no export times (imports.services.FUTURE_SLACK): one stored before that rule, from a
mistyped date in a file's name, would leave its order or record as it is against every real export for ever."""

from datetime import timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone


def clear(apps: Any, schema_editor: Any) -> None:
    ahead = timezone.now() + timedelta(hours=1)
    for model in ("Order", "ErpOrder", "WmsRecord"):
        apps.get_model("orders", model).objects.filter(exported_at__gt=ahead).update(exported_at=None)


class Migration(migrations.Migration):
    dependencies = [("orders", "0022_erp_wms_exported_at")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
