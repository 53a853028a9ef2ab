"""The secretariat's back office for clusters, memberships and theme suggestions."""

import pytest
from django.core import mail
from django.urls import reverse

from clusters.models import Cluster, ThemeSuggestion
from tests.factories import ClusterFactory, ClusterMembershipFactory, ThemeSuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:clusters_cluster_changelist",
        "admin:clusters_clustermembership_changelist",
        "admin:clusters_themesuggestion_changelist",
    ],
)
def test_changelists_load_with_search_and_filters(admin_client, url_name):
    cluster = ClusterFactory(name="Smart Governance")
    ClusterMembershipFactory(cluster=cluster, status="pending")
    ThemeSuggestionFactory(title="Urban Resilience")

    assert admin_client.get(reverse(url_name)).status_code == 200
    assert admin_client.get(reverse(url_name) + "?q=smart").status_code == 200


def test_cluster_change_page_shows_its_memberships(admin_client):
    cluster = ClusterFactory()
    ClusterMembershipFactory(cluster=cluster, organisation__name="Seoul")

    assert "Seoul" in admin_client.get(reverse("admin:clusters_cluster_change", args=[cluster.pk])).content.decode()


def test_approve_action_decides_through_the_service_and_emails_the_requester(
    admin_client, staff_user, django_capture_on_commit_callbacks
):
    requester = UserFactory()
    request = ClusterMembershipFactory(status="pending", requested_by=requester, decision_note="See you in Seoul.")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:clusters_clustermembership_changelist"),
            {"action": "approve", "_selected_action": [request.pk]},
        )

    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("active", staff_user, "See you in Seoul.")
    assert [message.to for message in mail.outbox] == [[requester.email]]


def test_decline_action_reports_requests_already_decided(admin_client):
    decided = ClusterMembershipFactory(status="active")

    response = admin_client.post(
        reverse("admin:clusters_clustermembership_changelist"),
        {"action": "decline", "_selected_action": [decided.pk]},
        follow=True,
    )

    assert "already been decided" in response.content.decode()
    decided.refresh_from_db()
    assert decided.status == "active"


def test_status_of_a_membership_cannot_be_edited_by_hand(admin_client):
    request = ClusterMembershipFactory(status="pending")

    html = admin_client.get(reverse("admin:clusters_clustermembership_change", args=[request.pk])).content.decode()

    assert 'name="status"' not in html


def test_turn_into_cluster_action_creates_a_forming_cluster(admin_client):
    suggestion = ThemeSuggestionFactory(title="Urban Resilience")

    admin_client.post(
        reverse("admin:clusters_themesuggestion_changelist"),
        {"action": "turn_into_cluster", "_selected_action": [suggestion.pk]},
    )

    cluster = Cluster.objects.get(name="Urban Resilience")
    assert cluster.status == Cluster.Status.FORMING
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.cluster) == (ThemeSuggestion.Status.ACCEPTED, cluster)


def test_decline_suggestion_action(admin_client):
    suggestion = ThemeSuggestionFactory()

    admin_client.post(
        reverse("admin:clusters_themesuggestion_changelist"),
        {"action": "decline", "_selected_action": [suggestion.pk]},
    )

    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.DECLINED


def test_change_pages_load(admin_client):
    membership = ClusterMembershipFactory(status="pending")
    suggestion = ThemeSuggestionFactory()

    for url in [
        reverse("admin:clusters_cluster_change", args=[membership.cluster.pk]),
        reverse("admin:clusters_clustermembership_change", args=[membership.pk]),
        reverse("admin:clusters_themesuggestion_change", args=[suggestion.pk]),
        reverse("admin:clusters_cluster_add"),
        reverse("admin:clusters_clustermembership_add"),
    ]:
        assert admin_client.get(url).status_code == 200, url
