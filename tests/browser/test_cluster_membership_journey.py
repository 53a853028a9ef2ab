"""A city's administrator asks to join a cluster, the leader approves it on the leader page, and the city's
people then see the cluster's private discussion link."""

from django.urls import reverse
from playwright.sync_api import expect

from clusters.models import ClusterMembership
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory

DISCUSSION_URL = "https://groups.google.com/g/wego-smart-governance"


def test_admin_asks_to_join_leader_approves_member_sees_the_discussion_link(
    page, mailbox, screenshot, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in e-mails point at the portal that sent them
    leader = UserFactory(email="javier.ortega@example.org", full_name="Javier Ortega")
    ClusterFactory(name="Smart Governance", slug="smart-governance", discussion_url=DISCUSSION_URL, leaders=[leader])
    official = OrganisationMembershipFactory(
        user__email="ana.reyes@quezoncity.example",
        organisation__name="Quezon City Government",
        role="admin",
    ).user

    sign_in(page, official.email)
    page.get_by_role("link", name="Clusters", exact=True).click()
    page.get_by_role("link", name="Smart Governance").click()
    expect(page.get_by_role("heading", name="Smart Governance", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Open the private discussion group")).to_have_count(0)

    # Sent empty, the form says what is missing.
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("Please say in a sentence or two why your organisation wants to join.")).to_be_visible()
    page.get_by_label("Why does your organisation want to join?").fill(
        "Our open data portal and participatory budgeting pilot are ongoing projects."
    )
    screenshot("cluster-join-filled")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("Your request to join Smart Governance was sent.")).to_be_visible()
    expect(page.get_by_text("The cluster's leaders have not decided yet")).to_be_visible()

    # The leader follows the link in the e-mail to the leader page and approves with a note.
    sign_in(page, leader.email)
    page.goto(mailbox.last_link_to(reverse("clusters:lead")))
    expect(page.get_by_role("heading", name="Leader page")).to_be_visible()
    expect(page.get_by_text("participatory budgeting pilot")).to_be_visible()
    page.get_by_label("Note to Quezon City Government (optional)").fill("Welcome! Please introduce the portal.")
    screenshot("cluster-leader-page")
    page.get_by_role("button", name="Approve Quezon City Government").click()
    expect(page.get_by_text("Quezon City Government is now a member of Smart Governance.")).to_be_visible()
    membership = ClusterMembership.objects.get()
    assert (membership.status, membership.decided_by, membership.decision_note) == (
        "active",
        leader,
        "Welcome! Please introduce the portal.",
    )

    # The official is told by e-mail and now sees the private discussion link.
    sign_in(page, official.email)
    page.goto(mailbox.last_link_to(reverse("clusters:detail", args=["smart-governance"])))
    link = page.get_by_role("link", name="Open the private discussion group")
    expect(link).to_have_attribute("href", DISCUSSION_URL)
    expect(page.get_by_text("Quezon City Government is a member since")).to_be_visible()
    screenshot("cluster-member-sees-discussion")
