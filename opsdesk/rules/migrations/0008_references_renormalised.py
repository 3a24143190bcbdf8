"""Prescription references claimed before dashes were folded (RX–7777 with a word processor's en dash, RX−7777 with
a minus) are compared as they are now: RX-7777. A claim whose new value another claim already holds (two orders
that got one prescription through a look-alike dash) is left as it was: neither claim is dropped or merged."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def references_renormalise(apps: Any, schema_editor: Any) -> None:
    from opsdesk.rules.prescriptions import reference_normalise

    used = apps.get_model("rules", "UsedPrescription")
    taken = set(used.objects.filter(kind="reference").values_list("value", flat=True))
    for claim in used.objects.filter(kind="reference").only("pk", "value"):
        value = reference_normalise(claim.value)
        if value != claim.value and value not in taken:
            used.objects.filter(pk=claim.pk).update(value=value)
            taken.add(value)


class Migration(migrations.Migration):
    dependencies = [("rules", "0007_used_prescriptions")]

    operations = [migrations.RunPython(references_renormalise, migrations.RunPython.noop)]
