"""Secretariat staff sign in with password and authenticator code, find the oldest waiting application on the
dashboard, start its review and request changes with a note, from the admin change page."""

from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import ProjectApplication
from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import current_code, sign_in
from tests.factories import OrganisationMembershipFactory, SubmittedApplicationFactory, UserFactory


def test_staff_review_an_application_from_the_back_office(page, check_page, screenshot, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code typed as the 30-second step turns is still accepted
    secret = generate_totp_secret()
    staff = UserFactory(email="reviewer@we-gov.example", is_staff=True, is_superuser=True)
    TOTP.activate(staff, secret)
    official = OrganisationMembershipFactory(organisation__name="Daejeon Metropolitan City", role="admin").user
    SubmittedApplicationFactory(title="Flood early warning", organisation=official.organisation, created_by=official)

    sign_in(page, staff.email)
    check_page("mfa-code")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.goto(reverse("admin:index"))
    expect(page.get_by_role("table", name="Oldest applications waiting")).to_contain_text("Daejeon Metropolitan City")
    check_page("admin-dashboard", tolerate=DJANGO_ADMIN)
    screenshot("backoffice-dashboard")

    page.get_by_role("link", name="Flood early warning").click()
    check_page("admin-application-change", tolerate=DJANGO_ADMIN)
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_text("is now “Under review”")).to_be_visible()
    page.get_by_label("Note to the applicant").fill("Please add the maintenance budget.")
    screenshot("backoffice-review-panel")
    page.get_by_role("button", name="Request changes").click()

    expect(page.get_by_text("is now “Changes requested”")).to_be_visible()
    check_page("admin-application-changes-requested", tolerate=DJANGO_ADMIN)
    page.goto(reverse("admin:applications_projectapplication_changelist"))
    check_page("admin-application-list", tolerate=DJANGO_ADMIN)
    application = ProjectApplication.objects.get()
    assert application.status == "changes_requested"
    assert application.history.first().note == "Please add the maintenance budget."
