"""The back office's front page: what waits, where, since when, and the coming events."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.backoffice.samples import sample_maker
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    OrganisationFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    SubmittedApplicationFactory,
    ThemeSuggestionFactory,
)

pytestmark = pytest.mark.django_db


def _dashboard(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response, response.context["dashboard"]


def _queues(dashboard) -> dict[str, int]:
    return {str(queue.label): queue.count for queue in dashboard["queues"]}


def test_counts_what_waits_per_status_and_queue(admin_client):
    SubmittedApplicationFactory.create_batch(2)
    ProjectApplicationFactory(status="under_review")
    ProjectApplicationFactory(status="draft")
    ClusterMembershipFactory(status="pending")
    ThemeSuggestionFactory()
    OrganisationFactory(is_verified=False)

    _response, dashboard = _dashboard(admin_client)

    queues = _queues(dashboard)
    assert queues["Project applications: Submitted"] == 2
    assert queues["Project applications: Under review"] == 1
    assert queues["Project applications: Changes requested"] == 0
    assert queues["Cluster membership requests"] == 1
    assert queues["Theme suggestions"] == 1
    assert queues["Organisations to verify"] >= 1


def test_counts_per_cluster_link_to_the_filtered_lists(admin_client):
    governance = ClusterFactory(name="Smart Governance")
    SubmittedApplicationFactory.create_batch(2, cluster=governance)
    ClusterMembershipFactory(cluster=governance, status="pending")
    ClusterFactory(name="Quiet cluster")

    response, dashboard = _dashboard(admin_client)

    [row] = dashboard["per_cluster"]
    assert (row["name"], row["applications"], row["requests"]) == ("Smart Governance", 2, 1)
    listed = admin_client.get(row["applications_url"])
    assert listed.context["cl"].result_count == 2
    assert "Quiet cluster" not in response.content.decode()


def test_lists_the_oldest_waiting_applications_first(admin_client):
    now = timezone.now()
    newer = SubmittedApplicationFactory(title="Newer", submitted_at=now - dt.timedelta(days=1))
    older = SubmittedApplicationFactory(title="Older", submitted_at=now - dt.timedelta(days=20))

    response, dashboard = _dashboard(admin_client)

    assert dashboard["oldest_applications"] == [older, newer]
    assert "2\xa0weeks, 6\xa0days ago" in response.content.decode()


def test_shows_upcoming_events_with_registrations_against_capacity(admin_client):
    event = EventFactory(name="GCTC Expo", capacity=2)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    response, dashboard = _dashboard(admin_client)

    [shown] = dashboard["upcoming_events"]
    assert (shown.confirmed_count, shown.capacity, shown.waitlisted_count) == (2, 2, 1)
    assert "2 / 2" in response.content.decode()


def test_dashboard_queries_do_not_grow_with_data(admin_client):
    SubmittedApplicationFactory()
    ClusterMembershipFactory(status="pending")
    EventFactory()
    admin_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("admin:index"))
    for _ in range(10):
        SubmittedApplicationFactory()
        ClusterMembershipFactory(status="pending")
        RegistrationFactory(event=EventFactory())
    with CaptureQueriesContext(connection) as many:
        admin_client.get(reverse("admin:index"))

    assert len(many) == len(few)


def test_failed_emails_are_counted_when_the_outbox_exists(admin_client):
    try:
        outbox = apps.get_model("notifications", "OutboundEmail")
    except LookupError:
        assert _dashboard(admin_client)[1]["failed_emails"] is None
        return
    failed = sample_maker(outbox)()
    sample_maker(outbox)()
    outbox.objects.filter(pk=failed.pk).update(status="failed")

    response, dashboard = _dashboard(admin_client)

    assert dashboard["failed_emails"] == 1
    assert "E-mails that could not be sent" in response.content.decode()
