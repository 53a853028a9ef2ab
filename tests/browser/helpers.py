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


def switch_language(page, language: str) -> None:
    """The hook for the i18n work: choose `language` as a visitor would, with the page's language switcher.

    Only English exists yet, which needs no switching; a language the portal does not offer is a test error."""
    if language != "en":
        raise NotImplementedError(f"The portal has no language switcher yet, so {language!r} cannot be chosen.")
