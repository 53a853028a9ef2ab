"""The "Secretariat staff" group opens calls, grants extensions, sets criteria, assigns reviewers and reads
conversations (accounts/migrations/0003_staff_group.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Secretariat staff"
# What staff do with each model in the back office: open calls, grant extensions, set criteria, assign reviewers;
# the conversations they read there (they write on the submission's page).
GRANTS = {
    "call": ("view", "add", "change"),
    "callextension": ("view", "add", "change"),
    "criterion": ("view", "add", "change"),
    "reviewassignment": ("view", "add", "change"),
    "message": ("view",),
    "messageattachment": ("view",),
}
CODENAMES = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]


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
                codename__in=CODENAMES,
            )
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="applications", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0018_conversation"),
        ("accounts", "0003_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
