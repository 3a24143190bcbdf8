"""The return report's second line is labelled as the notes write it: 运单单号 (it said 运单号). Only a text still at
its default changes: one an admin has edited is theirs."""

import importlib
from typing import Any

from django.db import migrations

DEFAULTS = importlib.import_module("opsdesk.aftersales.migrations.0002_defaults")
LETTER = importlib.import_module("opsdesk.aftersales.migrations.0004_texts_to_the_letter")


def label_as_the_notes(apps: Any, schema_editor: Any) -> None:
    template = apps.get_model("aftersales", "MessageTemplate")
    for case_type, kind, courier, old in DEFAULTS.TEMPLATES:
        if (case_type, kind) != ("return_refund", "courier_report"):
            continue
        current = LETTER.new_text(kind, old)
        template.objects.filter(case_type=case_type, kind=kind, courier=courier, text=current).update(
            text=current.replace("\n运单号: ", "\n运单单号: "))


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0007_stockout_task_one_open")]

    operations = [migrations.RunPython(label_as_the_notes, migrations.RunPython.noop)]
