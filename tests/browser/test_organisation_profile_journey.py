"""In Spanish: a visitor follows a member's name from a cluster page to the organisation's public profile, pages
through its clusters, opens its published case and comes back from the case page; from the solution directory a
company's name leads to its profile and its approved solutions."""

from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from clusters.models import Cluster
from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.browser.words import translated
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory, ProjectApplicationFactory


def es(english: str) -> str:
    return translated("es", english)


def _es_url(name: str, *args) -> str:
    with translation.override("es"):
        return reverse(name, args=args)


def test_a_visitor_goes_from_a_cluster_to_a_city_profile_and_from_the_directory_to_a_company(
    page, check_page, screenshot
):
    governance = ClusterFactory(name="Smart Governance", name_es="Gobernanza inteligente", slug="smart-governance")
    city = OrganisationFactory(name="Quezon City Government", kind="city", country="PH", is_wego_member=True)
    ClusterMembershipFactory(cluster=governance, organisation=city)
    ClusterMembershipFactory(
        cluster=ClusterFactory(name="Connected Corridors", name_es="Corredores Conectados", kind=Cluster.Kind.ACTION),
        organisation=city,
    )
    for number in range(20):  # enough teams for a second page
        team = ClusterFactory(name=f"Team {number:02d}", kind=Cluster.Kind.ACTION)
        ClusterMembershipFactory(cluster=team, organisation=city)
    now = timezone.now()
    ProjectApplicationFactory(
        organisation=city,
        cluster=governance,
        title="Open budget portal",
        status="accepted",
        submitted_at=now,
        decided_at=now,
        published_at=now,
    )
    company = OrganisationFactory(name="Civic Tech Manila", kind="company", country="PH")
    ApprovedSolutionFactory(organisation=company, name="Participatory budgeting platform", clusters=[governance])
    ClusterMembershipFactory(
        cluster=governance, organisation=OrganisationFactory(name="Unverified Town", is_verified=False)
    )

    page.goto(_es_url("clusters:detail", governance.slug))
    expect(page.get_by_role("heading", name="Gobernanza inteligente", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Unverified Town")).to_have_count(0)  # no profile before verification
    check_page("cluster-with-profile-links-es")
    screenshot("take-cluster-profile-links-es", phone=True)
    page.get_by_role("link", name="Quezon City Government").first.click()

    expect(page.get_by_role("heading", name="Quezon City Government", level=1)).to_be_visible()
    clusters = page.get_by_role("region", name=es("Clusters"))
    expect(clusters.get_by_role("heading", name=es("WeGO thematic clusters"))).to_be_visible()
    expect(clusters.get_by_role("heading", name=es("GCTC action-cluster teams"))).to_be_visible()
    expect(clusters.get_by_role("link", name="Corredores Conectados")).to_be_visible()
    cases = page.get_by_role("region", name=es("Published best-practice cases"))
    expect(cases.get_by_role("link", name="Open budget portal")).to_be_visible()
    expect(page.get_by_role("region", name=es("Approved solutions"))).to_have_count(0)
    check_page("organisation-profile-city-es")
    screenshot("take-organisation-profile-city-es", phone=True)

    page.get_by_role("navigation", name=es("Pages of clusters")).get_by_role("link", name=es("Next")).click()
    expect(page.get_by_role("link", name="Team 19")).to_be_visible()
    expect(page.get_by_role("link", name="Gobernanza inteligente")).to_have_count(0)
    check_page("organisation-profile-page-2-es")

    page.get_by_role("link", name="Open budget portal").click()
    expect(page.get_by_role("heading", name="Open budget portal", level=1)).to_be_visible()
    check_page("case-with-profile-link-es")
    screenshot("take-case-profile-link-es", phone=True)
    page.get_by_role("main").get_by_role("link", name="Quezon City Government").first.click()
    expect(page.get_by_role("heading", name="Quezon City Government", level=1)).to_be_visible()

    page.get_by_role("navigation", name=es("Main navigation")).get_by_role("link", name=es("Solutions")).click()
    check_page("solution-directory-profile-links-es")
    screenshot("take-solution-directory-profile-links-es", phone=True)
    page.get_by_role("link", name="Civic Tech Manila").click()
    expect(page.get_by_role("heading", name="Civic Tech Manila", level=1)).to_be_visible()
    solutions = page.get_by_role("region", name=es("Approved solutions"))
    expect(solutions.get_by_role("link", name="Participatory budgeting platform")).to_be_visible()
    expect(solutions).to_contain_text("Gobernanza inteligente")
    check_page("organisation-profile-company-es")
    screenshot("take-organisation-profile-company-es", phone=True)
    solutions.get_by_role("link", name="Participatory budgeting platform").click()
    expect(page.get_by_role("heading", name="Participatory budgeting platform", level=1)).to_be_visible()
    check_page("solution-with-profile-link-es")
    screenshot("take-solution-profile-link-es", phone=True)
    page.get_by_role("main").get_by_role("link", name="Civic Tech Manila").first.click()
    expect(page.get_by_role("heading", name="Civic Tech Manila", level=1)).to_be_visible()
