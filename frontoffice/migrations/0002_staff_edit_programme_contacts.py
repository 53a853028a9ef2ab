"""The "Secretariat staff" group keeps the public contacts up to date (accounts/migrations/0003_staff_group.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Secretariat staff"
ACTIONS = ("view", "change")


def grant(apps, schema_editor):
    config = apps.get_app_config("frontoffice")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="frontoffice",
                codename__in=[f"{action}_programmecontacts" for action in ACTIONS],
            )
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="frontoffice"))


class Migration(migrations.Migration):
    dependencies = [
        ("frontoffice", "0001_programme_contacts"),
        ("accounts", "0003_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
