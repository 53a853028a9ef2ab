"""A cluster without a leader: the WeGO secretariat decides on requests to join it, is e-mailed them, and the
people asking are told so before and after they ask."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters import services
from clusters.models import ClusterMembership
from tests.factories import ClusterFactory, ClusterMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETARIAT_DECIDES = "This cluster has no leader yet, so the WeGO secretariat decides"
LEADERS_DECIDE = "The cluster's leaders decide: they are e-mailed your request"


@pytest.fixture
def mobility(db):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", status="forming")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_join_form_of_a_cluster_without_a_leader_says_the_secretariat_decides(client, mobility, org_admin):
    client.force_login(org_admin)

    html = _page(client, mobility.get_absolute_url())

    assert SECRETARIAT_DECIDES in html
    assert LEADERS_DECIDE not in html
    assert "you will receive an e-mail when it has decided" in html


def test_the_join_form_of_a_led_cluster_says_its_leaders_decide(client, org_admin):
    cluster = ClusterFactory(leaders=[UserFactory()])
    client.force_login(org_admin)

    html = _page(client, cluster.get_absolute_url())

    assert LEADERS_DECIDE in html
    assert SECRETARIAT_DECIDES not in html


def test_a_cluster_whose_only_leader_left_is_decided_by_the_secretariat(
    client, org_admin, settings, django_capture_on_commit_callbacks
):
    cluster = ClusterFactory(leaders=[UserFactory(is_active=False)])
    client.force_login(org_admin)

    assert SECRETARIAT_DECIDES in _page(client, cluster.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": "Our bus lanes."})
    assert [message.to for message in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]


def test_an_unverified_organisation_is_told_its_request_waits_for_verification(client, mobility, org_admin):
    org_admin.organisation.is_verified = False
    org_admin.organisation.save()
    client.force_login(org_admin)

    assert "the request waits until the secretariat verifies it, usually within 2 working days" in _page(
        client, mobility.get_absolute_url()
    )


def test_after_asking_the_page_says_the_secretariat_has_not_decided_yet(
    client, mobility, org_admin, settings, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clusters:join", args=[mobility.slug]), {"motivation": "Our bus lanes."}, follow=True
        )

    html = response.content.decode()
    assert "Your request to join Smart Mobility was sent." in html
    assert "While this cluster has no leader the WeGO secretariat decides; it has not decided yet" in html
    assert "The cluster's leaders have not decided yet" not in html
    assert [message.to for message in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]


def test_asking_twice_names_the_secretariat_as_the_one_deciding(mobility, org_admin):
    ClusterMembershipFactory(cluster=mobility, organisation=org_admin.organisation, status="pending")

    with pytest.raises(ValidationError, match="While the cluster has no leader the WeGO secretariat decides"):
        services.cluster_membership_request(
            cluster=mobility, organisation=org_admin.organisation, by=org_admin, motivation="Again."
        )


def test_the_public_page_of_a_cluster_without_a_leader_says_who_decides_until_one_is_named(client, mobility):
    assert "Until then, the WeGO secretariat decides on requests to join." in _page(client, mobility.get_absolute_url())


def test_decided_by_secretariat_is_exactly_the_clusters_without_an_active_leader(mobility):
    led = ClusterFactory(leaders=[UserFactory(), UserFactory(is_active=False)])
    retired = ClusterFactory(leaders=[UserFactory(is_active=False)])
    requests = {
        cluster.pk: ClusterMembershipFactory(cluster=cluster, status="pending") for cluster in (mobility, led, retired)
    }

    secretariat = set(ClusterMembership.objects.decided_by_secretariat())
    leaders = set(ClusterMembership.objects.decided_by_leaders())

    assert secretariat == {requests[mobility.pk], requests[retired.pk]}
    assert leaders == {requests[led.pk]}
