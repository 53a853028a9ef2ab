"""My teams: an organisation's people see its invitations first, the teams it is in, the requests it made, and, for
a team it leads, how many requests wait for it; never another organisation's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory
from tests.teams.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _team_names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/en/teams/\d+/">([^<]+)</a>', html)


def test_my_teams_lists_invitations_first_then_teams_then_requests(client):
    city = OrganisationFactory(name="Daejeon", kind="city")
    person = OrganisationMembershipFactory(organisation=city, role="contact").user
    led = TeamFactory(name="Daejeon lighting", lead_organisation=city)
    TeamMembershipFactory(team=led, state="asked")
    TeamMembershipFactory(team=led, state="asked")
    TeamMembershipFactory(team=TeamFactory(name="Busan floods"), organisation=city, state="asked", role="partner_city")
    TeamMembershipFactory(team=TeamFactory(name="Seoul air"), organisation=city, state="invited", role="partner_city")
    TeamMembershipFactory(team=TeamFactory(name="Old team"), organisation=city, state="left", role="partner_city")
    TeamMembershipFactory(team=TeamFactory(name="Someone else's"), state="invited")
    client.force_login(person)

    html = client.get(reverse("teams:mine")).content.decode()

    assert _team_names(html) == ["Seoul air", "Daejeon lighting", "Busan floods"]
    assert "Accept or decline the invitation" in html
    assert "2 requests to join wait for your answer" in html
    assert "The team's lead has not answered yet." in html


def test_someone_without_an_organisation_is_told_how_to_take_part(client):
    client.force_login(UserFactory())

    response = client.get(reverse("teams:mine"))

    assert response.status_code == 200
    assert "Set up your organisation" in response.content.decode()


def test_my_teams_needs_signing_in(client):
    response = client.get(reverse("teams:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_teams_queries_stay_constant_as_teams_grow(client):
    city = OrganisationFactory(kind="city")
    person = OrganisationMembershipFactory(organisation=city).user
    client.force_login(person)
    counts = []
    for teams in (1, 15):
        for _ in range(teams):
            team = TeamFactory()
            TeamMembershipFactory(team=team, organisation=city, state="active")
            TeamMembershipFactory(team=team, state="asked")
        client.get(reverse("teams:mine"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("teams:mine")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], [q["sql"][:120] for q in queries.captured_queries]
