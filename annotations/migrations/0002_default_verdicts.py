from django.db import migrations

# Ordered best → worst; misleading and unverifiable sit outside the ordinal range.
DEFAULT_SCALE = [
    ("true", "True", 5, "#1a7f37"),
    ("mostly-true", "Mostly true", 4, "#5a9e2f"),
    ("half-true", "Half true", 3, "#c9a227"),
    ("mostly-false", "Mostly false", 2, "#d9782d"),
    ("false", "False", 1, "#c62828"),
    ("misleading", "Misleading", None, "#8e44ad"),
    ("unverifiable", "Unverifiable", None, "#6b7280"),
]


def create_scale(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    for position, (slug, label, rating_value, colour) in enumerate(DEFAULT_SCALE):
        Verdict.objects.update_or_create(
            slug=slug,
            defaults={
                "label": label,
                "rating_value": rating_value,
                "colour": colour,
                "position": position,
            },
        )


def remove_scale(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    Verdict.objects.filter(slug__in=[row[0] for row in DEFAULT_SCALE], claims=None).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(create_scale, remove_scale)]
