"""A city official finds an event, registers in person, gets the confirmation with a calendar file, and cancels."""

from django.core import mail
from playwright.sync_api import expect

from events.models import Registration
from tests.browser.helpers import sign_in
from tests.factories import EventFactory, OrganisationMembershipFactory


def test_member_registers_sees_the_confirmation_and_cancels(page, check_page, screenshot):
    EventFactory(name="Smart Governance Workshop", slug="smart-governance-workshop", capacity=2)
    official = OrganisationMembershipFactory(
        user__email="ana.reyes@quezoncity.example", organisation__name="Quezon City Government"
    ).user

    sign_in(page, official.email)
    page.get_by_role("link", name="Events", exact=True).click()
    expect(page.get_by_role("heading", name="Upcoming events", level=1)).to_be_visible()
    page.get_by_role("link", name="Smart Governance Workshop").click()
    expect(page.get_by_role("heading", name="Smart Governance Workshop", level=1)).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()

    # Sent without a choice, the form says what is missing.
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Please choose whether you will attend in person or online.")).to_be_visible()
    check_page("event-register-error")
    page.get_by_label("In person").check()
    screenshot("event-register-filled")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("You are registered for Smart Governance Workshop.")).to_be_visible()
    expect(page.get_by_text("You are registered (in person).")).to_be_visible()
    expect(page.get_by_text("1 place left")).to_be_visible()
    check_page("event-registered")
    screenshot("event-registered", phone=True)
    [confirmation] = mail.outbox
    assert confirmation.to == [official.email]
    assert confirmation.attachments[0].get_filename() == "smart-governance-workshop.ics"

    page.get_by_role("link", name="My events").first.click()
    expect(page.get_by_role("row", name="Smart Governance Workshop")).to_contain_text("Confirmed")
    check_page("my-events")
    screenshot("my-events", phone=True)
    page.get_by_role("link", name="Smart Governance Workshop").click()

    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("Your registration for Smart Governance Workshop is cancelled.")).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()
    expect(page.get_by_role("button", name="Register")).to_be_visible()
    check_page("event-cancelled")
    screenshot("event-cancelled")
    assert Registration.objects.get().status == "cancelled"
