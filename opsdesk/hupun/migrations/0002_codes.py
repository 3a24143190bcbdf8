from django.db import migrations

from opsdesk.hupun.defaults import codes_seed


def seed(apps, schema_editor):
    codes_seed(apps.get_model("hupun", "HupunCode"))


class Migration(migrations.Migration):
    dependencies = [("hupun", "0001_cursor_codes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
