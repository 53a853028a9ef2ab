"""The back office of teams: merging duplicates, moving to another SuperCluster, adding a team, exporting members."""

import pytest
from django.urls import reverse

from clusters.models import Cluster
from teams.models import Team, TeamMembership
from tests.factories import ClusterFactory, OrganisationFactory
from tests.teams.factories import OpenRoleFactory, RoundFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


CHANGELIST = reverse("admin:teams_team_changelist")


def test_staff_merge_two_teams_into_the_older(admin_client):
    older, newer = TeamFactory(), TeamFactory()
    OpenRoleFactory(team=newer)
    admin_client.post(CHANGELIST, {"action": "merge", "_selected_action": [older.pk, newer.pk]})
    newer.refresh_from_db()
    assert newer.merged_into == older and older.open_roles.count() == 1
    assert admin_client.get(newer.get_absolute_url()).url == older.get_absolute_url()


def test_staff_move_a_team_to_a_supercluster(admin_client):
    team = TeamFactory()
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER, name="Transportation")
    admin_client.post(CHANGELIST, {"action": f"move_to_{supercluster.pk}", "_selected_action": [team.pk]})
    team.refresh_from_db()
    assert team.supercluster == supercluster


def test_staff_add_a_team_and_its_lead_becomes_its_first_member(admin_client, staff_user):
    lead = OrganisationFactory()
    response = admin_client.post(
        reverse("admin:teams_team_add"),
        {
            "name": "Flood sensors",
            "summary": "Sensors warn of floods.",
            "lead_organisation": lead.pk,
            "round": RoundFactory().pk,
            "cluster": ClusterFactory().pk,
            **{
                f"{prefix}-{key}": value
                for prefix in ("open_roles", "milestones", "memberships")
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(name="Flood sensors")
    assert list(team.memberships.values_list("organisation", "role", "state")) == [(lead.pk, "lead_city", "active")]


def test_member_export_lists_the_filtered_members(admin_client):
    TeamMembershipFactory(organisation__name="Bright Sensors", state="active")
    TeamMembershipFactory(organisation__name="Left Behind", state="left")
    url = reverse("admin:teams_teammembership_changelist")
    response = admin_client.get(url + "export/csv/?state__exact=active")
    body = b"".join(response.streaming_content).decode()
    assert "Bright Sensors" in body and "Left Behind" not in body
    assert TeamMembership.objects.count() == 4
