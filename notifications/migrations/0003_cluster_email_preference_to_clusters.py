# The cluster e-mail preference now belongs to the clusters app (clusters 0006 takes over the model's state).
# State only: the table, its rows and its constraint stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_texts_within_limits"),
        ("clusters", "0006_cluster_email_preference_from_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClusterEmailPreference")],
            database_operations=[],
        ),
    ]
