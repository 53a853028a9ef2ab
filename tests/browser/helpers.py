"""Steps that several journeys share."""

from django.urls import reverse

from tests.factories import TEST_PASSWORD


def sign_in(page, email: str) -> None:
    """Start a fresh sitting: forget the previous person's session, then sign in through the form."""
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
