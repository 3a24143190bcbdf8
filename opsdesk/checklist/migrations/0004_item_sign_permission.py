"""Each item may name who signs it: 处方单审核 is the pharmacists' (rules.review_prescription)."""

from django.db import migrations, models


def pharmacist_signs_rx(apps, schema_editor):
    apps.get_model("checklist", "ChecklistItem").objects.filter(code="yfw-rx-review", permission="").update(
        permission="rules.review_prescription"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('checklist', '0003_alter_checklistitem_rule'),
    ]

    operations = [
        migrations.AddField(
            model_name='checklistitem',
            name='permission',
            field=models.CharField(blank=True, help_text='签核这一项所需的权限 (app.codename); 留空 = checklist.add_signoff (运营、客服)。例如 处方单审核: rules.review_prescription (药师)', max_length=100, verbose_name='签核权限'),
        ),
        migrations.RunPython(pharmacist_signs_rx, migrations.RunPython.noop),
    ]
