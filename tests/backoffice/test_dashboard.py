"""The back office's front page: what waits, where, since when, and the coming events."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.applications.solution_factories import SolutionFactory
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
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _dashboard(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response, response.context["dashboard"]


def _queues(dashboard) -> dict[str, int]:
    return {str(queue.label): queue.count for queue in dashboard["queues"]}


def _table(dashboard, key: str):
    [table] = [table for table in dashboard["waiting"] if table.key == key]
    return table


def _submitted_solution(**fields):
    return SolutionFactory(**{"status": "submitted", "submitted_at": timezone.now(), **fields})


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

    assert [row.name for row in _table(dashboard, "applications").rows] == [older.title, newer.title]
    assert "2\xa0weeks, 6\xa0days ago" in response.content.decode()


def test_submitted_solutions_are_counted_listed_oldest_first_and_linked(admin_client):
    governance = ClusterFactory(name="Smart Governance")
    now = timezone.now()
    newer = _submitted_solution(name="Open budget dashboard", clusters=[governance], submitted_at=now)
    older = _submitted_solution(
        name="Leak detector", clusters=[governance], status="under_review", submitted_at=now - dt.timedelta(days=3)
    )
    SolutionFactory(name="A draft")

    response, dashboard = _dashboard(admin_client)

    queues = _queues(dashboard)
    assert (queues["Company solutions: Submitted"], queues["Company solutions: Under review"]) == (1, 1)
    table = _table(dashboard, "solutions")
    assert [row.name for row in table.rows] == ["Leak detector", "Open budget dashboard"]
    assert table.rows[0].cells == (older.organisation.name, "Smart Governance", "Under review")
    assert table.rows[0].url == reverse("admin:applications_solutionregistration_change", args=[older.pk])
    assert admin_client.get(table.all_url).context["cl"].result_count == 2
    [row] = dashboard["per_cluster"]
    assert row["solutions"] == 2
    assert admin_client.get(row["solutions_url"]).context["cl"].result_count == 2
    html = response.content.decode()
    assert "Oldest solutions waiting" in html and "Open budget dashboard" in html and newer.name in html


def test_requests_to_join_a_cluster_without_a_leader_are_listed_for_the_secretariat(admin_client):
    led = ClusterFactory(name="Smart Governance", leaders=[UserFactory()])
    leaderless = ClusterFactory(name="Smart Mobility", status="forming")
    retired = ClusterFactory(name="Smart Utility", leaders=[UserFactory(is_active=False)])
    ClusterMembershipFactory(cluster=led, status="pending")
    waiting = ClusterMembershipFactory(cluster=leaderless, status="pending", organisation__name="Quezon City")
    ClusterMembershipFactory(cluster=retired, status="pending", organisation__name="Daejeon")
    ClusterMembershipFactory(cluster=leaderless, status="active")

    response, dashboard = _dashboard(admin_client)

    assert _queues(dashboard)["Requests to join a cluster without a leader"] == 2
    table = _table(dashboard, "leaderless-requests")
    assert sorted((row.name, row.cells) for row in table.rows) == [
        ("Daejeon", ("Smart Utility",)),
        ("Quezon City", ("Smart Mobility",)),
    ]
    listed = admin_client.get(table.all_url).context["cl"]
    assert {membership.cluster.name for membership in listed.result_list} == {"Smart Mobility", "Smart Utility"}
    assert reverse("admin:clusters_clustermembership_change", args=[waiting.pk]) in response.content.decode()


def test_every_waiting_table_says_when_nothing_waits(admin_client):
    response, dashboard = _dashboard(admin_client)

    html = response.content.decode()
    for table in dashboard["waiting"]:
        assert not table.rows
        assert f'id="dashboard-{table.key}"' in html
        assert table.empty in html


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
    _submitted_solution(clusters=[ClusterFactory()])
    ClusterMembershipFactory(status="pending")
    EventFactory()
    admin_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse("admin:index"))
    for _ in range(10):
        SubmittedApplicationFactory()
        _submitted_solution(clusters=ClusterFactory.create_batch(2))
        ClusterMembershipFactory(status="pending")
        ClusterMembershipFactory(status="pending", cluster=ClusterFactory(leaders=[UserFactory()]))
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
