"""A new city official signs up, verifies the e-mail address, logs in and registers the city."""

from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Organisation, User


def test_new_official_signs_up_verifies_logs_in_and_registers_the_city(page, mailbox, screenshot):
    page.goto(reverse("home"))
    page.get_by_role("link", name="Sign up").first.click()

    page.get_by_label("Email").fill("ana.reyes@quezoncity.example")
    page.get_by_label("Full name").fill("Ana Reyes")
    page.get_by_label("Password*", exact=True).fill("Smart-city-2026!")
    page.get_by_label("Password (again)").fill("Smart-city-2026!")
    screenshot("signup-filled")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert not User.objects.get(email="ana.reyes@quezoncity.example").emailaddress_set.get().verified

    # A fresh browser session: the link in the e-mail works wherever it is opened.
    page.context.clear_cookies()
    page.goto(mailbox.last_link_to(reverse("account_email_verification_sent")))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_label("Email").fill("ana.reyes@quezoncity.example")
    page.get_by_label("Password").fill("Smart-city-2026!")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="Set up your organisation")).to_be_visible()
    page.get_by_role("link", name="Register my organisation").click()
    page.get_by_label("Name").fill("Quezon City Government")
    page.get_by_label("Kind").select_option(label="City or local government")
    page.get_by_label("Country").select_option(label="Philippines")
    page.get_by_label("City").fill("Quezon City")
    page.get_by_label("We are a member of WeGO").check()
    page.get_by_role("button", name="Register organisation").click()

    expect(page.get_by_role("heading", name="Quezon City Government")).to_be_visible()
    expect(page.get_by_text("you are its administrator")).to_be_visible()
    screenshot("organisation-created")
    organisation = Organisation.objects.get(name="Quezon City Government")
    assert organisation.memberships.get().user.email == "ana.reyes@quezoncity.example"
    assert organisation.memberships.get().role == "admin"
