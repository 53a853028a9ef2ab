"""A cluster leader switches one cluster to the daily digest on the leader page; requests then wait for it. The
digest's unsubscribe link turns that cluster's e-mails off without signing in."""

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from clusters import services as cluster_services
from clusters.models import ClusterEmailPreference
from notifications.services import digests_send
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory
from tests.notifications.digests import A_DAY_LATER


def test_leader_chooses_the_daily_digest_and_gets_requests_in_it(
    page, check_page, screenshot, live_server, settings, mailbox
):
    settings.SITE_URL = live_server.url
    leader = UserFactory(email="javier.ortega@example.org", full_name="Javier Ortega")
    cluster = ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])
    ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])

    sign_in(page, leader.email)
    page.goto(reverse("clusters:lead"))
    # One led cluster at a time, the first by name when no request waits; a link to each of the others.
    clusters = page.get_by_role("navigation", name="Your clusters")
    clusters.get_by_role("link", name="Smart Mobility").click()
    mobility = page.get_by_role("group", name="How should we e-mail you about Smart Mobility?")
    expect(mobility.get_by_label("An e-mail for each event, as it happens")).to_be_checked()
    mobility.get_by_label("One daily digest").check()
    screenshot("leader-email-choice")
    page.get_by_role("button", name="Save e-mail choice for Smart Mobility").click()

    expect(page.get_by_text("You will get one daily digest about Smart Mobility.")).to_be_visible()
    expect(mobility.get_by_label("One daily digest")).to_be_checked()
    check_page("leader-email-choice-saved")
    clusters.get_by_role("link", name="Smart Governance").click()
    governance = page.get_by_role("group", name="How should we e-mail you about Smart Governance?")
    expect(governance.get_by_label("An e-mail for each event, as it happens")).to_be_checked()
    assert ClusterEmailPreference.objects.get(user=leader).cluster == cluster

    official = OrganisationMembershipFactory(role="admin", organisation__name="City of Daejeon").user
    cluster_services.cluster_membership_request(
        cluster=cluster, organisation=official.organisation, by=official, motivation="Bus priority lanes."
    )
    assert mail.outbox == []
    digests_send(now=A_DAY_LATER())
    [digest] = mail.outbox
    assert "City of Daejeon" in digest.body
    assert f"{live_server.url}{reverse('clusters:lead')}" in digest.body

    # The digest's own link, opened by someone who is not signed in (from a phone's mail app, say).
    page.context.clear_cookies()
    page.goto(mailbox.last_link_to("/unsubscribe/", to=leader.email))
    expect(page.get_by_role("heading", name="Your e-mail choices")).to_be_visible()
    expect(page.get_by_text("Smart Mobility: One daily digest")).to_be_visible()
    check_page("unsubscribe")
    page.get_by_role("button", name="Stop e-mails about Smart Mobility").click()

    expect(page.get_by_role("status")).to_have_text("Done: you will get no more e-mails about Smart Mobility.")
    expect(page.get_by_text("Smart Mobility: No e-mails")).to_be_visible()
    check_page("unsubscribe-done")
    assert ClusterEmailPreference.objects.get(user=leader, cluster=cluster).frequency == "off"
