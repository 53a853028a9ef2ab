# The cluster e-mail preference moves from the notifications app to clusters, which owns it (the outbox imports
# no domain app). State only: the table notifications_clusteremailpreference, its rows and its constraint stay
# as they are. The content type is renamed too, so the staff permissions on the model stay granted.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to(app_label: str, from_label: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        if not ContentType.objects.using(db).filter(app_label=app_label, model="clusteremailpreference").exists():
            ContentType.objects.using(db).filter(app_label=from_label, model="clusteremailpreference").update(
                app_label=app_label
            )

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0005_texts_within_limits"),
        ("notifications", "0002_texts_within_limits"),
        # After the staff group got the model's view permission under its old app label (renamed below).
        ("accounts", "0003_staff_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClusterEmailPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("immediate", "An e-mail for each event, as it happens"),
                                    ("daily", "One daily digest"),
                                ],
                                default="immediate",
                                max_length=20,
                                verbose_name="e-mails about this cluster",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last change")),
                        (
                            "cluster",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="email_preferences",
                                to="clusters.cluster",
                                verbose_name="cluster",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cluster_email_preferences",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="leader",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "cluster e-mail preference",
                        "verbose_name_plural": "cluster e-mail preferences",
                        "db_table": "notifications_clusteremailpreference",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "cluster"), name="one_email_preference_per_cluster")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to("clusters", "notifications"), content_type_to("notifications", "clusters")),
    ]
