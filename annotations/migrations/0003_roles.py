from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_article",
    "add_article",
    "change_article",
    "view_claim",
    "add_claim",
    "change_claim",
    "delete_claim",
    "view_source",
    "add_source",
    "change_source",
    "delete_source",
    "view_verdict",
    "view_claimtransition",
    "view_coveragesearch",
    "view_coveragematch",
    "change_coveragematch",
]
REVIEWER_EXTRA = [
    "delete_article",
    "view_historicalclaim",
    "view_historicalarticle",
    "view_historicalsource",
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make ours now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        ("editor", EDITOR_PERMISSIONS),
        ("reviewer", EDITOR_PERMISSIONS + REVIEWER_EXTRA),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="annotations", codename__in=codenames
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editor", "reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0002_default_verdicts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
