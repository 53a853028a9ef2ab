"""Secretariat staff sign in with password and authenticator code, find the oldest waiting application on the
dashboard, start its review and request changes with a note, from the admin change page."""

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import ProjectApplication
from tests.browser.helpers import sign_in
from tests.factories import OrganisationMembershipFactory, SubmittedApplicationFactory, UserFactory


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())  # around now; the middle one is now
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_staff_review_an_application_from_the_back_office(page, screenshot, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code typed as the 30-second step turns is still accepted
    secret = generate_totp_secret()
    staff = UserFactory(email="reviewer@we-gov.example", is_staff=True, is_superuser=True)
    TOTP.activate(staff, secret)
    official = OrganisationMembershipFactory(organisation__name="Daejeon Metropolitan City", role="admin").user
    SubmittedApplicationFactory(title="Flood early warning", organisation=official.organisation, created_by=official)

    sign_in(page, staff.email)
    page.get_by_label("Code").fill(_current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.goto(reverse("admin:index"))
    expect(page.get_by_role("table", name="Oldest applications waiting")).to_contain_text("Daejeon Metropolitan City")
    screenshot("backoffice-dashboard")

    page.get_by_role("link", name="Flood early warning").click()
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_text("is now “Under review”")).to_be_visible()
    page.get_by_label("Note to the applicant").fill("Please add the maintenance budget.")
    screenshot("backoffice-review-panel")
    page.get_by_role("button", name="Request changes").click()

    expect(page.get_by_text("is now “Changes requested”")).to_be_visible()
    application = ProjectApplication.objects.get()
    assert application.status == "changes_requested"
    assert application.history.first().note == "Please add the maintenance budget."
