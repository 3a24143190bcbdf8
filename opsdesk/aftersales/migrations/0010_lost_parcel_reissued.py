"""The lost-parcel report says 已安排补发 once its reissue is arranged, as the notes' example ends (unless the
description already says so). Only a text still at its default changes."""

import importlib
from typing import Any

from django.db import migrations

DEFAULTS = importlib.import_module("opsdesk.aftersales.migrations.0002_defaults")
LETTER = importlib.import_module("opsdesk.aftersales.migrations.0004_texts_to_the_letter")
NOTE = "{% if note %} {{ note }}{% endif %}"
REISSUED = NOTE + '{% if reissued and "已安排补发" not in note %} 已安排补发{% endif %}'


def rewrite(apps: Any, *, back: bool) -> None:
    template = apps.get_model("aftersales", "MessageTemplate")
    for case_type, kind, courier, old in DEFAULTS.TEMPLATES:
        if (case_type, kind) == ("lost_parcel", "courier_report"):
            current = LETTER.new_text(kind, old)
            new = current.replace(NOTE, REISSUED, 1)
            since, until = (new, current) if back else (current, new)
            template.objects.filter(case_type=case_type, kind=kind, courier=courier, text=since).update(text=until)


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0009_claim_screenshot_lines")]

    operations = [migrations.RunPython(lambda apps, _: rewrite(apps, back=False),
                                       lambda apps, _: rewrite(apps, back=True))]
