"""The "Secretariat staff" group opens calls, grants extensions, sets criteria and assigns reviewers
(accounts/migrations/0003_staff_group.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Secretariat staff"
ACTIONS = ("view", "add", "change")
MODELS = ("call", "callextension", "criterion", "reviewassignment")


def grant(apps, schema_editor):
    config = apps.get_app_config("applications")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="applications",
                codename__in=[f"{action}_{model}" for action in ACTIONS for model in MODELS],
            )
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="applications", codename__in=[f"{a}_{m}" for a in ACTIONS for m in MODELS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0017_review_scores"),
        ("accounts", "0003_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
