"""One settings row per rule, as editable defaults (the registry holds the same defaults for a missing row)."""

from __future__ import annotations

from django.db import migrations

SEVERITIES = {
    "ship_overdue": "high", "ship_due_soon": "medium", "cutoff_missed": "high", "not_allocated": "medium",
    "rx_review": "high", "unpaid_rx": "medium", "buyer_note": "medium", "tcm_spec": "medium",
    "stock_short": "high", "cod_courier": "high", "erp_exception": "medium", "returned_unrefunded": "high",
    "aftersales_pending": "medium",
}


def seed(apps, schema_editor):
    RuleConfig = apps.get_model("rules", "RuleConfig")
    for code, severity in SEVERITIES.items():
        RuleConfig.objects.get_or_create(code=code, defaults={"severity": severity, "warning_hours": 6})


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
