"""GCTC rounds and teams over the public API: what the directory, the team page and the round page show visitors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, OrganisationMembershipFactory
from tests.teams.factories import OpenRoleFactory, RoundFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_directory_lists_teams_looking_for_partners_filtered_as_its_page(api):
    gctc = RoundFactory(slug="gctc-2018")
    wanted = OpenRoleFactory(
        role="technology",
        team__round=gctc,
        team__name="Daejeon flood sensors",
        team__lead_organisation=OrganisationFactory(kind="city", country="KR"),
    )
    OpenRoleFactory(role="investor", team__name="Wants money")
    TeamFactory(name="Full team")  # no open role: not looking for partners

    every = _results(api.get("/api/v1/teams/"))
    technology_in_korea = _results(
        api.get("/api/v1/teams/", {"role": "technology", "country": "KR", "round": "gctc-2018"})
    )

    assert {team["name"] for team in every} == {"Daejeon flood sensors", "Wants money"}
    [team] = technology_in_korea
    assert team["id"] == wanted.team_id and team["round"] == "gctc-2018"
    assert team["open_roles"] == [
        {"role": "technology", "role_label": "Technology partner", "expertise": "IoT sensors and their network"}
    ]
    assert api.get("/api/v1/teams/", {"role": "astronaut"}).status_code == 400


def test_a_team_shows_its_members_and_milestones_but_never_their_contacts(api):
    team = TeamFactory(name="Daejeon flood sensors")
    company = TeamMembershipFactory(team=team, organisation__name="Acme Sensors", role="technology")
    OrganisationMembershipFactory(organisation=company.organisation, user__email="ceo@acme.example")
    TeamMembershipFactory(team=team, organisation__name="Asked Only", state="asked")
    team.milestones.create(title="Pilot in two districts", planned_on="2026-09-01")

    response = api.get(f"/api/v1/teams/{team.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert {member["organisation"]["name"] for member in body["members"]} == {
        team.lead_organisation.name,
        "Acme Sensors",
    }
    assert body["milestones"] == [{"title": "Pilot in two districts", "planned_on": "2026-09-01", "done_on": None}]
    assert "ceo@acme.example" not in response.text and "discussion" not in response.text


def test_a_team_merged_into_another_is_a_json_404(api):
    kept = TeamFactory()
    merged = TeamFactory(merged_into=kept)

    response = api.get(f"/api/v1/teams/{merged.pk}/")

    assert response.status_code == 404 and response.json()["detail"]


def test_a_round_counts_its_teams_and_partners_as_its_page(api):
    gctc = RoundFactory(slug="gctc-2018", name="GCTC 2018")
    team = TeamFactory(round=gctc, lead_organisation=OrganisationFactory(kind="city", country="US"))
    TeamMembershipFactory(team=team, organisation__kind="company")

    listed = _results(api.get("/api/v1/rounds/"))
    item = api.get("/api/v1/rounds/gctc-2018/").json()

    assert [round_["slug"] for round_ in listed] == ["gctc-2018"]
    assert item["figures"]["cities"] == 1 and item["figures"]["action_clusters"] == 1
    assert item["figures"]["partners_by_kind"] == {"Company": 1}
    assert item["teams"].endswith("/api/v1/teams/?round=gctc-2018")


def test_the_directory_takes_as_many_queries_for_40_teams_as_for_1(api):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/teams/?page_size=100").status_code == 200
        return len(queries)

    OpenRoleFactory()
    one = count()
    for _ in range(39):
        TeamMembershipFactory(team=OpenRoleFactory().team)
    assert count() == one <= 3
