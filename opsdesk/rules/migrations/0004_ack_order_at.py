from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_rxreview_in_force_index")]
    operations = [
        migrations.AddIndex(
            model_name="acknowledgement", index=models.Index(fields=["order", "at"], name="ack_order_at")
        ),
    ]
