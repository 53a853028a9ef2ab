"""Issue 23's journey: a city turns its submitted application into a team and publishes two open roles; a company
finds it in the directory by filtering for technology partners and asks to join; the city accepts; both see each
other's contacts; an anonymous visitor sees the team without them; the round's figures count the team and the
company."""

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from teams.models import Team, TeamMembership
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory, SubmittedApplicationFactory, UserFactory
from tests.teams.factories import RoundFactory

CITY_EMAIL = "minji.park@seoul.example"
COMPANY_EMAIL = "tom.okafor@brightsensors.example"


def test_city_forms_a_team_company_finds_it_and_joins(page, mailbox, check_page, screenshot, live_server, settings):
    settings.SITE_URL = live_server.url
    gctc = RoundFactory(name="GCTC 2018", slug="gctc-2018", year=2018)
    leader = UserFactory(email="leader@example.org", full_name="Javier Ortega")
    cluster = ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])
    official = OrganisationMembershipFactory(
        user__email=CITY_EMAIL,
        user__full_name="Minji Park",
        organisation__name="Seoul Metropolitan Government",
        organisation__kind="city",
        role="admin",
    ).user
    application = SubmittedApplicationFactory(
        organisation=official.organisation, cluster=cluster, title="Smart street lighting for Seoul"
    )
    OrganisationMembershipFactory(
        user__email=COMPANY_EMAIL,
        user__full_name="Tom Okafor",
        organisation__name="Bright Sensors Ltd",
        organisation__kind="company",
        organisation__country="GB",
    )

    # The city official turns the submitted application into a team.
    sign_in(page, official.email)
    page.goto(reverse("applications:detail", args=[application.pk]))
    page.get_by_role("link", name="Form a team").click()
    expect(page.get_by_role("heading", name="Form an action-cluster team")).to_be_visible()
    check_page("team-form")
    page.get_by_label("Team name").fill("Seoul lighting team")
    page.get_by_role("button", name="Form the team").click()
    expect(page.get_by_text("The team Seoul lighting team is formed.")).to_be_visible()

    # ... and publishes two open roles.
    page.get_by_label("Kind of partner").first.select_option(label="Technology partner")
    page.get_by_label("Expertise wanted").first.fill("LoRaWAN motion sensors")
    page.get_by_label("Kind of partner").nth(1).select_option(label="Research partner")
    page.get_by_label("Expertise wanted").nth(1).fill("Measuring energy savings")
    check_page("team-edit")
    page.get_by_role("button", name="Save the team").click()
    expect(page.get_by_role("heading", name="Seoul lighting team", level=1)).to_be_visible()
    team = Team.objects.get()
    assert sorted(team.open_roles.values_list("role", flat=True)) == ["research", "technology"]
    assert [m.to for m in mail.outbox if "Seoul lighting team" in m.subject] == [[leader.email]]

    # A company finds the team in the directory by filtering for technology partners and asks to join.
    sign_in(page, COMPANY_EMAIL)
    page.get_by_role("link", name="Clusters", exact=True).click()
    page.get_by_role("link", name="Teams looking for partners").click()
    page.get_by_label("Kind of partner").select_option(label="Technology partner")
    page.get_by_role("button", name="Show teams").click()
    check_page("team-directory")
    screenshot("team-directory", phone=True)
    page.get_by_role("link", name="Seoul lighting team").click()
    expect(page.get_by_text(CITY_EMAIL)).to_have_count(0)
    page.get_by_role("button", name="Ask to join as Technology partner").click()
    expect(page.get_by_text("Please say in a sentence or two what your organisation would bring")).to_be_visible()
    check_page("team-ask-error")
    page.get_by_label("What would your organisation bring?").first.fill("Our sensors run in 40 cities.")
    page.get_by_role("button", name="Ask to join as Technology partner").click()
    expect(page.get_by_text("Your request was sent to Seoul lighting team.")).to_be_visible()
    # The company's own list of teams shows the request waiting.
    page.get_by_role("navigation", name="Your pages").get_by_role("link", name="My teams").click()
    row = page.get_by_role("row").filter(has_text="Seoul lighting team")
    expect(row).to_contain_text("Asked to join")
    expect(row).to_contain_text("The team's lead has not answered yet.")
    check_page("my-teams")
    screenshot("my-teams", phone=True)

    # The city accepts from the link in its e-mail.
    sign_in(page, official.email)
    page.goto(mailbox.last_link_to(team.get_absolute_url(), to=official.email))
    expect(page.get_by_text("Our sensors run in 40 cities.")).to_be_visible()
    check_page("team-lead")
    page.get_by_role("button", name="Accept Bright Sensors Ltd").click()
    expect(page.get_by_text("Bright Sensors Ltd has joined Seoul lighting team.")).to_be_visible()
    expect(page.get_by_role("link", name=COMPANY_EMAIL)).to_be_visible()
    assert TeamMembership.objects.get(organisation__name="Bright Sensors Ltd").state == "active"

    # The company is told, and sees the city's contacts and the private discussion link.
    sign_in(page, COMPANY_EMAIL)
    page.goto(mailbox.last_link_to(team.get_absolute_url(), to=COMPANY_EMAIL))
    expect(page.get_by_role("link", name=CITY_EMAIL)).to_be_visible()
    check_page("team-member")
    screenshot("team-member", phone=True)

    # An anonymous visitor sees the team, its members and roles, without the contacts.
    page.context.clear_cookies()
    page.goto(team.get_absolute_url())
    expect(page.get_by_text("Bright Sensors Ltd")).to_be_visible()
    expect(page.get_by_text(CITY_EMAIL)).to_have_count(0)
    expect(page.get_by_text(COMPANY_EMAIL)).to_have_count(0)
    check_page("team-public")

    # The round's public figures count the team and the company.
    page.get_by_role("link", name="GCTC 2018").click()
    expect(page.get_by_role("heading", name="GCTC 2018", level=1)).to_be_visible()
    figures = page.get_by_role("region", name="The round in figures")
    expect(figures.locator("#figure-action-clusters")).to_have_text("1")
    expect(figures.locator("#figure-cities")).to_have_text("1")
    expect(figures.get_by_text("Company: 1")).to_be_visible()
    check_page("round")
    assert gctc.teams.count() == 1
