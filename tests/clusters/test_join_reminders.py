"""Issue 25's reminder for requests to join: one that has waited more than a week reminds its deciders, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clusters.models import ClusterEmailPreference
from clusters.services import join_request_reminders_send
from notifications.models import OutboundEmail
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(cluster, *, days: float, **fields):
    return ClusterMembershipFactory(
        cluster=cluster,
        status="pending",
        decided_at=None,
        requested_at=timezone.now() - timedelta(days=days),
        **fields,
    )


def test_a_request_waiting_a_week_reminds_each_leader_once(django_capture_on_commit_callbacks):
    first, second = UserFactory(email="lea@example.org"), UserFactory(email="omar@example.org")
    cluster = ClusterFactory(name="Smart Mobility", leaders=[first, second])
    waiting = _request(cluster, days=8, organisation=OrganisationFactory(name="City of Busan", kind="city"))
    _request(cluster, days=3)  # not a week yet
    _request(cluster, days=9, organisation=OrganisationFactory(is_verified=False))  # held: the leaders never saw it
    ClusterMembershipFactory(cluster=cluster, status="active", requested_at=timezone.now() - timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        # The scheduler fires twice: each leader still gets one reminder.
        assert join_request_reminders_send() == 1
        join_request_reminders_send()

    assert sorted(message.to[0] for message in mail.outbox) == ["lea@example.org", "omar@example.org"]
    assert all(message.subject == "Still waiting: City of Busan asks to join Smart Mobility" for message in mail.outbox)
    assert "is still waiting for an answer" in mail.outbox[0].body
    assert OutboundEmail.objects.filter(template="cluster_join_waiting", thread=f"cluster-membership-{waiting.pk}")


def test_each_leader_is_reminded_as_they_chose(django_capture_on_commit_callbacks):
    daily, off = UserFactory(), UserFactory()
    cluster = ClusterFactory(leaders=[daily, off])
    ClusterEmailPreference.objects.create(user=daily, cluster=cluster, frequency="daily")
    ClusterEmailPreference.objects.create(user=off, cluster=cluster, frequency="off")
    _request(cluster, days=8)

    with django_capture_on_commit_callbacks(execute=True):
        join_request_reminders_send()

    [held] = OutboundEmail.objects.filter(template="cluster_join_waiting")
    assert held.recipient_user == daily and held.status == OutboundEmail.Status.HELD
    assert mail.outbox == []


def test_a_cluster_without_a_leader_reminds_the_secretariat(settings, django_capture_on_commit_callbacks):
    _request(ClusterFactory(leaders=[]), days=10)

    with django_capture_on_commit_callbacks(execute=True):
        join_request_reminders_send()

    [message] = mail.outbox
    assert message.to == [settings.SECRETARIAT_EMAIL]
    assert "the secretariat decides" in message.body


def test_a_request_is_reminded_in_its_second_week_only(django_capture_on_commit_callbacks):
    cluster = ClusterFactory(leaders=[UserFactory()])
    _request(cluster, days=15)  # reminded a week ago; the outbox may have been pruned since

    with django_capture_on_commit_callbacks(execute=True):
        assert join_request_reminders_send() == 0

    assert mail.outbox == []


def test_beat_runs_the_reminder_daily(settings):
    from wego_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["join-request-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {6}
