"""The shipped import profiles of the eleven sources (an admin extends them afterwards)."""

from django.db import migrations

from opsdesk.imports.defaults import profiles_seed


def seed(apps, schema_editor):
    profiles_seed(apps.get_model("imports", "ImportProfile"))


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
