"""Steps that several journeys share."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def sign_in(page, email: str) -> None:
    """Start a fresh sitting: forget the previous person's session, then sign in through the form."""
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def current_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (tests set MFA_TOTP_TOLERANCE = 1 around it)."""
    counters = list(yield_hotp_counters_from_time())  # around now; the middle one is now
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_with_code(page, email: str, secret: str) -> None:
    """Sign in as someone with an authenticator app: the password, then the app's current code."""
    sign_in(page, email)
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()


NATIVE_LANGUAGE_NAMES = {"en": "English", "ko": "한국어", "es": "Español", "fr": "Français"}


def switch_language(page, language: str) -> None:
    """Choose `language` as a person would: the switcher's link (not signed in) or button (signed in, which also
    saves the preference) named in that language."""
    if page.locator("html").get_attribute("lang") == language:
        return
    name = NATIVE_LANGUAGE_NAMES[language]
    switcher = page.locator(".language-switcher")
    switcher.get_by_role("link", name=name, exact=True).or_(
        switcher.get_by_role("button", name=name, exact=True)
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def tab_to(page, target, *, backwards: bool = False, presses: int = 60) -> None:
    """Press Tab (Shift+Tab backwards) until `target` has the keyboard focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    element = target.element_handle()
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate("element => element === document.activeElement", element):
            return
    raise AssertionError(f"{presses} presses of {key} never reached {target}")


def has_focus_ring(target) -> bool:
    """The focused control shows where the focus is: an outline or a focus shadow."""
    return target.evaluate(
        """element => {
            const style = getComputedStyle(element);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== "none";
        }"""
    )


def sign_in_as_staff(page, staff) -> None:
    """Sign secretariat staff in with an authenticator app (given a fresh one here), as staff powers need."""
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(staff, secret)
    with override_settings(MFA_TOTP_TOLERANCE=1):  # a code typed as the 30-second step turns is still accepted
        sign_in_with_code(page, staff.email, secret)
        expect(page.get_by_role("button", name="Sign out")).to_be_attached()  # signed in before the settings go back


def staff_accept(page, staff, submission) -> None:
    """Secretariat staff open a submission's page and accept it with the review box, as they would."""
    sign_in_as_staff(page, staff)
    page.goto(submission.get_absolute_url())
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_text("Done: Start review.")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Done: Accept.")).to_be_visible()
