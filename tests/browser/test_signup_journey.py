"""A new city official signs up, verifies the e-mail address, logs in, registers the city and asks to join a
cluster (the application journey goes on from there). Every page on the way passes axe and the Nu checker."""

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Organisation, User
from clusters.models import ClusterMembership
from tests.factories import ClusterFactory, UserFactory


def test_new_official_signs_up_verifies_registers_the_city_and_asks_to_join_a_cluster(
    page, mailbox, check_page, screenshot
):
    ClusterFactory(name="Smart Governance", leaders=[UserFactory(full_name="Javier Ortega")])
    page.goto(reverse("home"))
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("E-mail address").fill("ana.reyes@quezoncity.example")
    page.get_by_label("Full name").fill("Ana Reyes")
    page.get_by_label("Password*", exact=True).fill("Smart-city-2026!")
    page.get_by_label("Password (again)").fill("Smart-city-2026!")
    screenshot("signup-filled")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    check_page("signup-verify-sent")
    assert not User.objects.get(email="ana.reyes@quezoncity.example").emailaddress_set.get().verified

    # A fresh browser session: the link in the e-mail works wherever it is opened.
    page.context.clear_cookies()
    page.goto(mailbox.last_link_to(reverse("account_confirm_email", args=["key"]).removesuffix("key/")))
    check_page("signup-confirm-email")
    page.get_by_role("button", name="Confirm the address").click()

    page.get_by_label("E-mail address").fill("ana.reyes@quezoncity.example")
    page.get_by_label("Password").fill("Smart-city-2026!")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up your organisation")).to_be_visible()
    check_page("organisation-start")
    screenshot("organisation-start", phone=True)
    page.get_by_role("link", name="Register my organisation").click()
    check_page("organisation-new")
    page.get_by_label("Name").fill("Quezon City Government")
    page.get_by_label("Kind").select_option(label="City or local government")
    page.get_by_label("Country").select_option(label="Philippines")
    page.get_by_label("City").fill("Quezon City")
    page.get_by_label("We are a member of WeGO").check()
    page.get_by_role("button", name="Register organisation").click()

    expect(page.get_by_role("heading", name="Quezon City Government")).to_be_visible()
    expect(page.get_by_text("you are its administrator")).to_be_visible()
    check_page("organisation-created")
    screenshot("organisation-created", phone=True)
    organisation = Organisation.objects.get(name="Quezon City Government")
    assert organisation.memberships.get().user.email == "ana.reyes@quezoncity.example"
    assert organisation.memberships.get().role == "admin"

    page.get_by_role("link", name="Clusters", exact=True).click()
    page.get_by_role("link", name="Smart Governance").click()
    page.get_by_label("Why does your organisation want to join?").fill("Our open data portal is an ongoing project.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("Your request to join Smart Governance was sent.")).to_be_visible()
    check_page("cluster-join-requested")
    assert ClusterMembership.objects.get(organisation=organisation).status == "pending"
