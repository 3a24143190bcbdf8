"""The lost-parcel report says 已安排补发 once its reissue is arranged, as the notes' example ends (unless the
description already says so). Only a text still at its default changes."""

import importlib
from typing import Any

from django.db import migrations

SCREENSHOT_LINES = importlib.import_module("opsdesk.aftersales.migrations.0009_claim_screenshot_lines")
NOTE = "{% if note %} {{ note }}{% endif %}"
REISSUED = NOTE + '{% if reissued and "已安排补发" not in note %} 已安排补发{% endif %}'


def reissued(case_type: str, kind: str, text: str) -> str | None:
    return text.replace(NOTE, REISSUED, 1) if (case_type, kind) == ("lost_parcel", "courier_report") else None


def rewrite(apps: Any, *, back: bool) -> None:
    SCREENSHOT_LINES.defaults_rewrite(apps, reissued, back=back)


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0009_claim_screenshot_lines")]

    operations = [migrations.RunPython(lambda apps, _: rewrite(apps, back=False),
                                       lambda apps, _: rewrite(apps, back=True))]
