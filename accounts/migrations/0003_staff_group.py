"""The "Secretariat staff" group: what a staff member who is not a superuser may see and change in the back office.

Permissions are created after migrations normally; this migration creates them first so it also works on a fresh
database. Reversible: going back removes the group (its members keep their accounts).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Secretariat staff"

# (app label, model, actions) that the secretariat works with every day.
STAFF_PERMISSIONS = [
    ("accounts", "user", ["view"]),
    ("accounts", "organisation", ["view", "change"]),
    ("accounts", "organisationmembership", ["view", "change"]),
    ("clusters", "cluster", ["view", "add", "change"]),
    ("clusters", "clustermembership", ["view", "change"]),
    ("clusters", "themesuggestion", ["view", "change"]),
    ("applications", "projectapplication", ["view", "change"]),
    ("applications", "applicationhistory", ["view"]),
    ("applications", "teammember", ["view"]),
    ("applications", "partnersought", ["view"]),
    ("applications", "kpi", ["view"]),
    ("applications", "applicationdocument", ["view"]),
    ("applications", "leadercomment", ["view"]),
    ("applications", "solutionregistration", ["view", "change"]),
    ("applications", "solutionhistory", ["view"]),
    ("applications", "deployment", ["view"]),
    ("applications", "solutionbrochure", ["view"]),
    ("applications", "introduction", ["view"]),
    ("notifications", "outboundemail", ["view", "change"]),
    ("notifications", "clusteremailpreference", ["view"]),
    ("events", "event", ["view", "add", "change"]),
    ("events", "registration", ["view", "change"]),
]


def create_staff_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    for app_label, model, actions in STAFF_PERMISSIONS:
        for action in actions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )


def remove_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_history"),
        ("applications", "0005_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("clusters", "0003_history"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0003_history"),
        ("notifications", "0001_outbox"),
    ]

    operations = [migrations.RunPython(create_staff_group, remove_staff_group)]
