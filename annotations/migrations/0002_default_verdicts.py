from django.db import migrations

from annotations.defaults import DEFAULT_SCALE, ensure_default_verdicts


def create_scale(apps, schema_editor):
    ensure_default_verdicts(apps.get_model("annotations", "Verdict"))


def remove_scale(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    Verdict.objects.filter(slug__in=[row[0] for row in DEFAULT_SCALE], claims=None).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(create_scale, remove_scale)]
