"""Where the screenshots are, said as each text reaches its reader: a claim e-mail carries them as attachments
(交易截图见附件。, not 见下条信息:, which is the lost-parcel chat's line, where they follow as the next message), and
the damaged report ends 交易截图: as the notes write it. Only a text still at its default changes."""

import importlib
from collections.abc import Callable
from typing import Any

from django.db import migrations

DEFAULTS = importlib.import_module("opsdesk.aftersales.migrations.0002_defaults")
LETTER = importlib.import_module("opsdesk.aftersales.migrations.0004_texts_to_the_letter")
# (kind, case types) → (the default's fragment, what it becomes)
EDITS = {
    ("email_body", ("lost_parcel", "damaged")): ("交易截图见下条信息:\n", "交易截图见附件。\n"),
    ("courier_report", ("damaged",)): ("\n交易截图见下条信息:{% endif %}", "\n交易截图:{% endif %}"),
}


def edited(case_type: str, kind: str, text: str) -> str | None:
    for (edit_kind, case_types), (before, after) in EDITS.items():
        if kind == edit_kind and case_type in case_types:
            return text.replace(before, after)
    return None


def defaults_rewrite(apps: Any, edit: Callable[[str, str, str], str | None], *, back: bool) -> None:
    """Each default template still as 0004 left it becomes what `edit(case_type, kind, text)` makes of it (None:
    left alone); `back` undoes it. Also 0010's."""
    template = apps.get_model("aftersales", "MessageTemplate")
    for case_type, kind, courier, old in DEFAULTS.TEMPLATES:
        current = LETTER.new_text(kind, old)
        new = edit(case_type, kind, current)
        if new is not None:
            since, until = (new, current) if back else (current, new)
            template.objects.filter(case_type=case_type, kind=kind, courier=courier, text=since).update(text=until)


def rewrite(apps: Any, *, back: bool) -> None:
    defaults_rewrite(apps, edited, back=back)


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0008_return_report_label")]

    operations = [migrations.RunPython(lambda apps, _: rewrite(apps, back=False),
                                       lambda apps, _: rewrite(apps, back=True))]
