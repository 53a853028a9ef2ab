"""A company registers a solution, the secretariat approves it, it appears in the directory and among the
matches of a city's application in the same cluster, and the cluster's leader introduces them."""

from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Introduction, SolutionRegistration
from tests.browser.helpers import sign_in, staff_accept
from tests.factories import ClusterFactory, OrganisationMembershipFactory, SubmittedApplicationFactory, UserFactory


def test_company_registers_staff_approve_city_sees_the_match_leader_introduces(
    page, mailbox, check_page, screenshot, live_server, settings
):
    settings.SITE_URL = live_server.url
    leader = UserFactory(email="leader@example.org", full_name="Javier Ortega")
    mobility = ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])
    ClusterFactory(name="Smart Utility", slug="smart-utility")
    staff = UserFactory(email="reviewer@wego.example", is_staff=True, is_superuser=True)
    provider = OrganisationMembershipFactory(
        user__email="claire@urbansensors.example",
        user__full_name="Claire Martin",
        organisation__name="Urban Sensors Ltd",
        organisation__kind="company",
        role="admin",
    ).user
    official = OrganisationMembershipFactory(
        user__email="minji@democity.example", organisation__name="Demo City", role="admin"
    ).user
    application = SubmittedApplicationFactory(
        organisation=official.organisation,
        created_by=official,
        cluster=mobility,
        title="Bus priority corridor",
        problem="Buses are stuck in traffic at junctions.",
        approach="Give buses priority at traffic signals along the corridor.",
        technologies="Connected traffic signals.",
    )

    # The company registers its solution.
    sign_in(page, provider.email)
    page.get_by_role("link", name="My solutions").click()
    check_page("my-solutions-empty")
    page.get_by_role("link", name="Register a solution").click()
    check_page("solution-new")
    page.get_by_label("Name of the solution").fill("Signal priority for buses")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    check_page("solution-edit")
    page.get_by_label("Summary").fill("Traffic signals give buses priority at junctions.")
    page.get_by_label("Description").fill("Buses ask the traffic signals for a green light as they approach.")
    page.get_by_label("Product", exact=True).check()
    page.get_by_label("Deployed", exact=True).check()
    page.get_by_label("Smart Mobility").check()
    page.get_by_label("City").first.fill("Lyon")
    page.get_by_label("Country").first.select_option("FR")
    page.get_by_label("Year").first.fill("2024")
    page.get_by_label("Short result").first.fill("Bus journeys 12 % faster.")
    screenshot("solution-registration-filled", phone=True)
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted. The leaders of its clusters")).to_be_visible()
    check_page("solution-submitted")
    solution = SolutionRegistration.objects.get()
    assert solution.status == "submitted"

    # Not public yet.
    page.context.clear_cookies()
    page.goto(reverse("solutions:directory"))
    expect(page.get_by_text("Signal priority for buses")).to_have_count(0)

    # The secretariat reviews and approves it with the review box on the solution page.
    staff_accept(page, staff, solution)
    check_page("solution-accepted")

    # Anyone finds it in the directory, filtered by its cluster.
    page.context.clear_cookies()
    page.goto(reverse("home"))
    page.get_by_role("link", name="Solutions", exact=True).click()
    page.get_by_label("Cluster").select_option(label="Smart Mobility")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Signal priority for buses")).to_be_visible()
    check_page("solution-directory-filtered")
    screenshot("solution-directory")

    # The city sees it among the matches of its application, with the reason.
    sign_in(page, official.email)
    page.goto(application.get_absolute_url())
    matches = page.get_by_role("region", name="Solutions that fit")
    expect(matches.get_by_role("link", name="Signal priority for buses")).to_be_visible()
    expect(matches.get_by_text("Serves this project's cluster, Smart Mobility")).to_be_visible()
    check_page("application-with-matches")
    screenshot("solution-matches-on-application", phone=True)

    # The leader introduces the city to the company from the leader page, once.
    sign_in(page, leader.email)
    page.goto(reverse("clusters:lead"))
    page.get_by_role("button", name="Introduce the city to Urban Sensors Ltd").click()
    expect(page.get_by_text("Demo City and Urban Sensors Ltd have been introduced by e-mail")).to_be_visible()
    expect(page.get_by_text("Introduced on")).to_be_visible()
    check_page("leader-page-introduced")
    screenshot("solution-leader-introduced", phone=True)
    assert Introduction.objects.filter(application=application, solution=solution, introduced_by=leader).exists()
    assert mailbox.last_link_to(solution.get_absolute_url())
