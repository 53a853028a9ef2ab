"""A team's lead invites an investor found by name; the investor accepts from the e-mail's link; the lead cannot
leave its own team; the public team pages pass the checks in Korean and fit a phone."""

from django.urls import reverse
from playwright.sync_api import expect

from teams.models import TeamMembership
from tests.browser.helpers import sign_in, switch_language
from tests.factories import OrganisationMembershipFactory
from tests.teams.factories import OpenRoleFactory

LEAD_EMAIL = "minji.park@seoul.example"
INVESTOR_EMAIL = "ji-ho.lee@impact.example"


def test_lead_invites_an_investor_who_accepts(page, mailbox, check_page, screenshot, live_server, settings):
    settings.SITE_URL = live_server.url
    role = OpenRoleFactory(role="investor", expertise="Co-funding the roll-out", team__name="Seoul lighting team")
    team = role.team
    OrganisationMembershipFactory(user__email=LEAD_EMAIL, organisation=team.lead_organisation, role="admin")
    OrganisationMembershipFactory(
        user__email=INVESTOR_EMAIL, organisation__name="Seoul Impact Fund", organisation__kind="investor", role="admin"
    )

    sign_in(page, LEAD_EMAIL)
    page.goto(team.get_absolute_url())
    # A name nobody registered is refused, and what was typed stays.
    page.get_by_label("Organisation's name").fill("Seoul Impact Fnd")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("No verified organisation has this name.")).to_be_visible()
    expect(page.get_by_label("Organisation's name")).to_have_value("Seoul Impact Fnd")
    check_page("team-invite-error")
    page.get_by_label("Organisation's name").fill("Seoul Impact Fund")
    page.get_by_label("Role in the team").select_option(label="Investor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Seoul Impact Fund is invited.")).to_be_visible()
    # The lead organisation has no way out of its own team.
    expect(page.get_by_role("button", name="out of the team")).to_have_count(0)

    sign_in(page, INVESTOR_EMAIL)
    page.goto(mailbox.last_link_to(team.get_absolute_url(), to=INVESTOR_EMAIL))
    expect(page.get_by_role("heading", name="Seoul Impact Fund is invited as Investor")).to_be_visible()
    check_page("team-invited")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("Seoul Impact Fund has joined Seoul lighting team.")).to_be_visible()
    assert TeamMembership.objects.get(organisation__name="Seoul Impact Fund").state == "active"
    assert mailbox.last_link_to(team.get_absolute_url(), to=LEAD_EMAIL)

    # The investor leaves; the lead is told.
    page.get_by_role("button", name="Take Seoul Impact Fund out of the team").click()
    expect(page.get_by_text("Seoul Impact Fund has left Seoul lighting team.")).to_be_visible()


def test_team_pages_in_korean_pass_the_checks_on_a_phone(page, check_page, screenshot):
    team = OpenRoleFactory(team__name="Seoul lighting team").team
    page.goto(reverse("teams:directory"))
    switch_language(page, "ko")
    expect(page.get_by_role("heading", name="파트너를 찾는 팀", level=1)).to_be_visible()
    check_page("team-directory-ko")
    screenshot("team-directory-ko", phone=True)
    page.get_by_role("link", name="Seoul lighting team").click()
    expect(page.get_by_role("heading", name="모집 역할")).to_be_visible()
    check_page("team-page-ko")
    screenshot("team-page-ko", phone=True)
    page.get_by_role("link", name=team.round.name).first.click()
    expect(page.get_by_role("heading", name="숫자로 보는 라운드")).to_be_visible()
    check_page("round-ko")
    screenshot("round-ko", phone=True)
