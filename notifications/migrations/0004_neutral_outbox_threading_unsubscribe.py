# The outbox names what an e-mail is about in a neutral word (topic) instead of pointing at a cluster, and keeps
# what a message needs to be sent the same way every time: its Message-ID, its thread, its Reply-To and its
# unsubscribe address. Existing rows keep the cluster's name as their topic and the Message-ID they were sent with.

from django.conf import settings
from django.db import migrations, models


def _domain() -> str:
    return settings.EMAIL_MESSAGE_ID_DOMAIN


def cluster_to_topic(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    Cluster = apps.get_model("clusters", "Cluster")
    names = dict(Cluster.objects.values_list("pk", "name"))
    for cluster_id in OutboundEmail.objects.exclude(cluster=None).values_list("cluster_id", flat=True).distinct():
        OutboundEmail.objects.filter(cluster_id=cluster_id).update(topic=names.get(cluster_id, "")[:200])
    rows = OutboundEmail.objects.filter(message_id="").only("pk", "created_at")
    for email in rows.iterator(chunk_size=2000):
        OutboundEmail.objects.filter(pk=email.pk).update(
            message_id=f"<outbox-{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{_domain()}>"
        )


def topic_to_cluster(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    Cluster = apps.get_model("clusters", "Cluster")
    for pk, name in Cluster.objects.values_list("pk", "name"):
        OutboundEmail.objects.filter(topic=name).update(cluster_id=pk)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_cluster_email_preference_to_clusters"),
        ("clusters", "0007_membership_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="topic",
            field=models.CharField(blank=True, max_length=200, verbose_name="topic"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="message_id",
            field=models.CharField(blank=True, max_length=255, verbose_name="Message-ID"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="thread",
            field=models.CharField(blank=True, max_length=100, verbose_name="thread"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="reply_to",
            field=models.CharField(blank=True, max_length=998, verbose_name="reply to"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="unsubscribe",
            field=models.CharField(blank=True, max_length=255, verbose_name="can be turned off"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="unsubscribe_url",
            field=models.CharField(blank=True, max_length=2000, verbose_name="unsubscribe address"),
        ),
        migrations.RunPython(cluster_to_topic, topic_to_cluster, elidable=True),
        migrations.RemoveField(model_name="outboundemail", name="cluster"),
    ]
