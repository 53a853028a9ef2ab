"""The directory, the team page and the round page: what visitors and members see, and constant query counts."""

import pytest
from django.urls import reverse

from tests.factories import ClusterFactory, OrganisationMembershipFactory, SubmittedApplicationFactory
from tests.teams.factories import OpenRoleFactory, RoundFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _teams(size: int):
    gctc = RoundFactory()
    cluster = ClusterFactory()
    for _ in range(size):
        role = OpenRoleFactory(team__round=gctc, team__cluster=cluster)
        OpenRoleFactory(team=role.team, role="research")
        TeamMembershipFactory(team=role.team)


def test_directory_lists_only_teams_with_open_roles_and_filters_by_kind(client):
    wanted = OpenRoleFactory(role="investor", team__name="Wants money")
    OpenRoleFactory(role="research", team__name="Wants research")
    TeamFactory(name="Full team")

    everything = client.get(reverse("teams:directory")).content.decode()
    investors = client.get(reverse("teams:directory"), {"role": "investor"}).content.decode()

    assert "Wants money" in everything and "Wants research" in everything and "Full team" not in everything
    assert "Wants money" in investors and "Wants research" not in investors
    assert wanted.team.get_absolute_url() in investors


def test_directory_searches_names_and_summaries(client):
    OpenRoleFactory(team__name="Quezon flood sensors")
    OpenRoleFactory(team__name="Seoul lighting")
    page = client.get(reverse("teams:directory"), {"q": "flood"}).content.decode()
    assert "Quezon flood sensors" in page and "Seoul lighting" not in page


def test_directory_with_a_bad_filter_shows_every_team(client):
    OpenRoleFactory(team__name="Seoul lighting")
    response = client.get(reverse("teams:directory"), {"round": "nonsense", "page": "x"})
    assert response.status_code == 200 and "Seoul lighting" in response.content.decode()


@pytest.mark.parametrize("size", [1, 30])
def test_directory_queries_stay_constant_as_teams_grow(client, django_assert_max_num_queries, size):
    _teams(size)
    # filter choices (clusters, SuperClusters, rounds, countries in use), count, page of teams, their open roles
    with django_assert_max_num_queries(7):
        client.get(reverse("teams:directory"))


@pytest.mark.parametrize("size", [1, 30])
def test_team_page_queries_stay_constant_as_members_grow(client, django_assert_max_num_queries, size):
    team = TeamFactory()
    for _ in range(size):
        member = TeamMembershipFactory(team=team)
        OrganisationMembershipFactory(organisation=member.organisation, role="admin")
        OpenRoleFactory(team=team)
    person = OrganisationMembershipFactory(organisation=team.lead_organisation, role="admin").user
    client.force_login(person)
    with django_assert_max_num_queries(10):
        response = client.get(team.get_absolute_url())
    assert response.context["can_see_contacts"]


def test_anonymous_visitor_sees_members_but_not_their_contacts(client):
    team = TeamFactory()
    person = OrganisationMembershipFactory(organisation=team.lead_organisation, role="admin").user
    page = client.get(team.get_absolute_url()).content.decode()
    assert team.lead_organisation.name in page
    assert person.email not in page and team.discussion_url not in page


def test_member_of_another_team_does_not_see_contacts(client):
    team, other = TeamFactory(), TeamFactory()
    person = OrganisationMembershipFactory(organisation=team.lead_organisation, role="admin").user
    stranger = OrganisationMembershipFactory(organisation=other.lead_organisation, role="admin").user
    client.force_login(stranger)
    page = client.get(team.get_absolute_url()).content.decode()
    assert person.email not in page and team.discussion_url not in page


def test_a_refused_request_keeps_what_was_typed(client):
    role = OpenRoleFactory()
    person = OrganisationMembershipFactory(organisation__kind="company", organisation__is_verified=False).user
    client.force_login(person)
    response = client.post(
        reverse("teams:ask", args=[role.team.pk, role.pk]), {f"role-{role.pk}-message": "Our sensors are great"}
    )
    assert response.status_code == 400
    assert "Our sensors are great" in response.content.decode()
    assert "not verified" in response.content.decode()


def test_round_page_counts_cities_teams_and_partners(client):
    gctc = RoundFactory()
    team = TeamFactory(round=gctc)
    TeamMembershipFactory(team=team, organisation__kind="investor")
    SubmittedApplicationFactory(round=gctc)
    response = client.get(gctc.get_absolute_url())
    figures = response.context["figures"]
    assert (figures["cities"], figures["action_clusters"]) == (2, 1)
    assert ("Investor", 1) in [(str(label), n) for label, n in figures["partners_by_kind"]]


def test_application_page_offers_its_city_to_form_a_team(client):
    application = SubmittedApplicationFactory()
    official = OrganisationMembershipFactory(organisation=application.organisation, role="admin").user
    client.force_login(official)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("teams:form", args=[application.pk]) in page


def test_application_page_links_to_the_teams_working_on_it_but_not_to_a_merged_one(client):
    application = SubmittedApplicationFactory()
    team = TeamFactory(application=application, name="Daejeon flood sensors")
    TeamFactory(application=application, name="Merged duplicate", merged_into=team)
    official = OrganisationMembershipFactory(organisation=application.organisation, role="admin").user
    client.force_login(official)

    page = client.get(application.get_absolute_url()).content.decode()

    assert f'<a href="{team.get_absolute_url()}">Daejeon flood sensors</a>' in page
    assert "Merged duplicate" not in page
    assert reverse("teams:form", args=[application.pk]) not in page  # it has its team


def test_demo_data_fills_the_directory_and_runs_twice(client, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page = client.get(reverse("teams:directory")).content.decode()
    assert "Smart street lighting for Demo City" in page and "Connected corridor pilot" in page
    assert "Open budget data" not in page  # no open role
    gctc = client.get(reverse("teams:round", args=["gctc-2018"]))
    assert gctc.context["figures"]["action_clusters"] == 3
    assert "GCTC Tech Jam" in gctc.content.decode()


def test_round_page_lists_its_key_events_with_date_and_place_or_says_none_is_announced(client):
    from tests.factories import EventFactory

    announced, unannounced = RoundFactory(), RoundFactory()
    event = EventFactory(name="GCTC Expo", round=announced)

    page = client.get(announced.get_absolute_url()).content.decode()
    empty = client.get(unannounced.get_absolute_url()).content.decode()

    assert f'<a href="{event.get_absolute_url()}">GCTC Expo</a>' in page and f"· {event.place}" in page
    assert "The key events of this round are not announced yet." not in page
    assert "The key events of this round are not announced yet." in empty
