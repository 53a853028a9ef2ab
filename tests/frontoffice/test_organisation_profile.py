"""An organisation's public profile: its clusters (teams among them), published cases and approved solutions, from
public data only, for verified organisations; linked wherever its name appears on public pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster
from tests.applications.solution_factories import ApprovedSolutionFactory, SolutionFactory
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
)

pytestmark = pytest.mark.django_db


def _profile_url(organisation) -> str:
    return reverse("organisation_profile", args=[organisation.pk])


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _published_case(**fields):
    now = timezone.now()
    return ProjectApplicationFactory(status="accepted", submitted_at=now, decided_at=now, published_at=now, **fields)


@pytest.fixture
def city(db):
    return OrganisationFactory(name="Quezon City Government", kind="city", country="PH", is_verified=True)


@pytest.fixture
def company(db):
    return OrganisationFactory(name="Acme Sensors", kind="company", country="FR", is_verified=True)


@pytest.fixture
def governance(db):
    return ClusterFactory(name="Smart Governance", slug="smart-governance")


def test_a_city_profile_lists_its_clusters_its_teams_and_its_published_cases(client, city, governance):
    corridors = ClusterFactory(name="Connected Corridors", kind=Cluster.Kind.ACTION)
    ClusterMembershipFactory(cluster=governance, organisation=city)
    ClusterMembershipFactory(cluster=corridors, organisation=city)
    ClusterMembershipFactory(cluster=ClusterFactory(name="Asked only"), organisation=city, status="pending")
    ClusterMembershipFactory(cluster=ClusterFactory(name="Left long ago"), organisation=city, status="left")
    case = _published_case(organisation=city, cluster=governance, title="Open budget portal")
    ProjectApplicationFactory(organisation=city, title="A draft nobody sees")
    ProjectApplicationFactory(organisation=city, status="accepted", title="Accepted, not published")
    OrganisationMembershipFactory(organisation=city, user__full_name="Ana Reyes")

    html = _html(client, _profile_url(city))

    assert "Quezon City Government" in html and "Verified" in html
    assert html.index("WeGO thematic clusters") < html.index("Smart Governance")
    assert html.index("GCTC action-cluster teams") < html.index("Connected Corridors")
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in html
    for private in ("Asked only", "Left long ago", "A draft nobody sees", "Accepted, not published", "Ana Reyes"):
        assert private not in html, private
    assert "Approved solutions" not in html  # a city offers none: no empty section


def test_a_company_profile_lists_its_approved_solutions_only(client, company, governance):
    approved = ApprovedSolutionFactory(organisation=company, name="Leak detector", clusters=[governance])
    SolutionFactory(organisation=company, name="Draft sensor", clusters=[governance])
    SolutionFactory(organisation=company, name="Sent sensor", status="submitted", submitted_at=timezone.now())

    html = _html(client, _profile_url(company))

    assert f'href="{approved.get_absolute_url()}"' in html and "Smart Governance" in html
    assert "Draft sensor" not in html and "Sent sensor" not in html
    assert "Published best-practice cases" not in html
    assert "is not a member of any cluster yet" in html


def test_an_unverified_or_unknown_organisation_has_no_public_profile(client):
    unverified = OrganisationFactory(is_verified=False)

    assert client.get(_profile_url(unverified)).status_code == 404
    assert client.get(reverse("organisation_profile", args=[unverified.pk + 1000])).status_code == 404


def test_its_name_links_to_the_profile_on_every_public_page_that_names_it(client, city, company, governance):
    ClusterMembershipFactory(cluster=governance, organisation=city)
    case = _published_case(organisation=city, cluster=governance)
    other_case = _published_case(organisation=city, cluster=governance, title="Participatory budgeting")
    solution = ApprovedSolutionFactory(organisation=company, clusters=[governance])
    city_link = f'<a href="{_profile_url(city)}">Quezon City Government</a>'
    company_link = f'<a href="{_profile_url(company)}">Acme Sensors</a>'

    pages = {
        governance.get_absolute_url(): [city_link, company_link],
        reverse("cases:library"): [city_link],
        reverse("cases:detail", args=[case.pk]): [city_link],
        reverse("cases:detail", args=[other_case.pk]): [city_link],
        reverse("solutions:directory"): [company_link],
        solution.get_absolute_url(): [company_link],
    }
    for url, links in pages.items():
        html = _html(client, url)
        for link in links:
            assert link in html, (url, link)


def test_an_unverified_organisations_name_is_not_a_link(client, governance):
    unverified = OrganisationFactory(name="Not Yet Verified City", is_verified=False)
    ClusterMembershipFactory(cluster=governance, organisation=unverified)

    html = _html(client, governance.get_absolute_url())

    assert "Not Yet Verified City" in html
    assert _profile_url(unverified) not in html


def test_each_list_is_paginated_under_its_own_parameter(client, city):
    for number in range(23):
        ClusterMembershipFactory(cluster=ClusterFactory(name=f"Cluster {number:02d}"), organisation=city)
    for number in range(21):
        _published_case(organisation=city, title=f"Case {number:02d}")

    first = _html(client, _profile_url(city))
    second = _html(client, f"{_profile_url(city)}?clusters=2")

    assert "Cluster 19" in first and "Cluster 20" not in first
    assert "Cluster 20" in second and "Cluster 22" in second and "Cluster 00" not in second
    assert 'href="?clusters=2#clusters"' in first
    assert 'href="?cases=2#cases"' in first
    assert "Case 20" in second  # the cases stay on their own first page
    assert _html(client, f"{_profile_url(city)}?clusters=abc").count("Cluster 00") == 1  # a bad page: the first


def test_its_queries_do_not_grow_with_its_clusters_cases_and_solutions(
    client, settings, city, django_assert_num_queries, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # counts building the page (tests/core/test_page_cache.py: serving it)

    def grow(organisation, times: int) -> None:
        for _ in range(times):
            cluster = ClusterFactory()
            ClusterMembershipFactory(cluster=cluster, organisation=organisation)
            ClusterMembershipFactory(cluster=ClusterFactory(kind=Cluster.Kind.ACTION), organisation=organisation)
            _published_case(organisation=organisation, cluster=cluster)
            ApprovedSolutionFactory(organisation=organisation, clusters=[cluster, ClusterFactory()])

    grow(city, 1)
    client.get(_profile_url(city))
    with django_assert_max_num_queries(12) as few:
        client.get(_profile_url(city))
    grow(city, 12)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(_profile_url(city))
