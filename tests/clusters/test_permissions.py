"""Who may do what with a cluster, one test per role: anonymous, member of another organisation, organisation
administrator, leader of this cluster, leader of another cluster, staff. A leader of one cluster sees nothing
private of another."""

import pytest
from django.urls import reverse

from clusters.models import ClusterMembership
from tests.conftest import activate_totp
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_of_other_organisation", "organisation_admin", "leader", "other_leader", "staff"]
DISCUSSION_URL = "https://groups.google.com/g/wego-smart-governance"
MOTIVATION = "Our confidential budgeting pilot."


@pytest.fixture
def world(db):
    """A cluster with a member and a pending request, and another cluster with its own leader."""
    leader = UserFactory()
    cluster = ClusterFactory(name="Smart Governance", discussion_url=DISCUSSION_URL, leaders=[leader])
    ClusterMembershipFactory(cluster=cluster, organisation__name="Seoul")
    request = ClusterMembershipFactory(
        cluster=cluster, organisation__name="Urban Sensors", status="pending", motivation=MOTIVATION
    )
    other_leader = UserFactory()
    ClusterFactory(name="Smart Mobility", leaders=[other_leader])
    staff = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(staff)
    users = {
        "anonymous": None,
        "member_of_other_organisation": OrganisationMembershipFactory(role="contact").user,
        "organisation_admin": OrganisationMembershipFactory(role="admin").user,
        "leader": leader,
        "other_leader": other_leader,
        "staff": staff,
    }
    return {"cluster": cluster, "request": request, "users": users}


def _client_as(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [
        ("anonymous", False),
        ("member_of_other_organisation", False),
        ("organisation_admin", False),
        ("leader", True),
        ("other_leader", False),
        ("staff", True),
    ],
)
def test_discussion_link_is_shown_to_members_leaders_and_staff_only(client, world, role, sees_link):
    html = _client_as(client, world, role).get(world["cluster"].get_absolute_url()).content.decode()

    assert (DISCUSSION_URL in html) is sees_link


@pytest.mark.parametrize("role", ["organisation_admin", "member_of_other_organisation"])
def test_people_of_a_member_organisation_see_the_discussion_link(client, world, role):
    user = world["users"][role]
    ClusterMembershipFactory(cluster=world["cluster"], organisation=user.organisation)
    client.force_login(user)

    assert DISCUSSION_URL in client.get(world["cluster"].get_absolute_url()).content.decode()


def test_an_organisation_that_left_loses_the_discussion_link(client, world):
    user = world["users"]["organisation_admin"]
    ClusterMembershipFactory(cluster=world["cluster"], organisation=user.organisation, status="left")
    client.force_login(user)

    assert DISCUSSION_URL not in client.get(world["cluster"].get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("role", "sees_requests"),
    [
        ("anonymous", False),
        ("member_of_other_organisation", False),
        ("organisation_admin", False),
        ("leader", True),
        ("other_leader", False),
        ("staff", True),
    ],
)
def test_waiting_requests_are_mentioned_on_the_cluster_page_to_leaders_and_staff_only(
    client, world, role, sees_requests
):
    html = _client_as(client, world, role).get(world["cluster"].get_absolute_url()).content.decode()

    assert ("waiting for a decision" in html) is sees_requests


@pytest.mark.parametrize(
    ("role", "status_code", "sees_request"),
    [
        ("anonymous", 302, False),
        ("member_of_other_organisation", 403, False),
        ("organisation_admin", 403, False),
        ("leader", 200, True),
        ("other_leader", 200, False),
        ("staff", 403, False),
    ],
)
def test_leader_page_shows_a_cluster_s_requests_to_its_leaders_only(client, world, role, status_code, sees_request):
    response = _client_as(client, world, role).get(reverse("clusters:lead"))

    assert response.status_code == status_code
    html = response.content.decode()
    assert (MOTIVATION in html) is sees_request
    assert ("Urban Sensors" in html) is sees_request


@pytest.mark.parametrize(
    ("role", "status_code", "decided"),
    [
        ("anonymous", 302, False),
        ("member_of_other_organisation", 404, False),
        ("organisation_admin", 404, False),
        ("leader", 302, True),
        ("other_leader", 404, False),
        ("staff", 302, True),
    ],
)
def test_only_the_cluster_s_leaders_and_staff_decide_a_request(client, world, role, status_code, decided):
    request = world["request"]

    response = _client_as(client, world, role).post(
        reverse("clusters:decide", args=[request.pk]), {"decision": "approve"}
    )

    assert response.status_code == status_code
    request.refresh_from_db()
    assert (request.status == "active") is decided


@pytest.mark.parametrize(
    ("role", "status_code", "asked"),
    [
        ("anonymous", 302, False),
        ("member_of_other_organisation", 403, False),
        ("organisation_admin", 302, True),
        ("leader", 403, False),
        ("other_leader", 403, False),
        ("staff", 403, False),
    ],
)
def test_only_an_organisation_administrator_asks_to_join(client, world, role, status_code, asked):
    cluster = world["cluster"]

    response = _client_as(client, world, role).post(
        reverse("clusters:join", args=[cluster.slug]), {"motivation": "We want to join."}
    )

    assert response.status_code == status_code
    assert ClusterMembership.objects.filter(cluster=cluster, motivation="We want to join.").exists() is asked


def test_a_contact_is_told_why_they_cannot_ask(client, world):
    response = _client_as(client, world, "member_of_other_organisation").post(
        reverse("clusters:join", args=[world["cluster"].slug]), {"motivation": "We want to join."}
    )

    assert "Only your organisation" in response.content.decode()


def test_a_person_without_organisation_is_told_to_set_it_up(client, world):
    response = _client_as(client, world, "leader").post(
        reverse("clusters:join", args=[world["cluster"].slug]), {"motivation": "We want to join."}
    )

    assert "Organisations join clusters" in response.content.decode()
