"""Issue 27, words: a French-speaking official signs up, confirms the address (which signs her in), changes the
e-mail address, signs out, signs in again with a second factor and resets the password; every step says "Se
connecter", "Créer un compte", "Se déconnecter" and "e-mail" as the rest of the portal does, and between password
and code the header offers neither "Se connecter" nor "Créer un compte"."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.helpers import current_code
from tests.i18n.catalogue import catalogue
from tests.i18n.test_words import variants_in


def _fr(english: str, **values) -> str:
    entry = catalogue("fr").find(english)
    assert entry and entry.msgstr, f"French has no translation of {english!r}"
    return entry.msgstr % values if values else entry.msgstr


def _in_french(name: str, *args) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def _words_are_the_portal_s(page) -> None:
    assert not variants_in(page.content(), "fr"), variants_in(page.content(), "fr")


def test_a_french_official_meets_the_same_words_from_sign_up_to_sign_out(page, mailbox, check_page, screenshot):
    page.goto(_in_french("home"))
    page.get_by_role("link", name=_fr("Sign up"), exact=True).click()
    expect(page.get_by_role("heading", name=_fr("Sign up"), level=1)).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("sign-up-fr")
    screenshot("sign-up-fr", phone=True)
    page.get_by_label(_fr("E-mail address")).fill("claire.martin@lyon.example")
    page.get_by_label("Nom complet").fill("Claire Martin")
    page.get_by_label("Mot de passe*", exact=True).fill("Ville-de-Lyon-2026!")
    page.get_by_label("Mot de passe (confirmation)").fill("Ville-de-Lyon-2026!")
    page.get_by_role("button", name=_fr("Sign up")).click()

    expect(page.get_by_role("heading", name=_fr("Confirm your e-mail address"), level=1)).to_be_visible()
    expect(
        page.get_by_text(_fr("We have sent a confirmation link to %(email)s.", email="claire.martin@lyon.example"))
    ).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("verification-sent-fr")
    screenshot("verification-sent-fr", phone=True)

    page.goto(mailbox.last_link_to("/confirm-email/"))
    expect(page.get_by_role("heading", name=_fr("Confirm your e-mail address"), level=1)).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("confirm-e-mail-fr")
    screenshot("confirm-e-mail-fr", phone=True)
    page.get_by_role("button", name=_fr("Confirm the address")).click()

    # Confirming signs her in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page.get_by_role("button", name=_fr("Sign out"))).to_be_visible()

    page.goto(_in_french("account_email"))
    expect(page.get_by_role("heading", name=_fr("E-mail address"), level=1)).to_be_visible()
    page.get_by_label(_fr("Change to")).fill("c.martin@lyon.example")
    page.get_by_role("button", name=_fr("Change e-mail address")).click()
    expect(
        page.get_by_text(_fr("This address is waiting to be confirmed: follow the link we sent to it."))
    ).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("e-mail-change-fr")
    screenshot("e-mail-change-fr", phone=True)
    page.get_by_role("button", name=_fr("Cancel the change")).click()

    page.goto(_in_french("account_logout"))
    expect(page.get_by_text(_fr("Are you sure you want to sign out?"))).to_be_visible()
    check_page("sign-out-fr")
    screenshot("sign-out-fr", phone=True)
    page.locator("main").get_by_role("button", name=_fr("Sign out")).click()
    expect(page.get_by_text(_fr("You have signed out."))).to_be_visible()

    # The secretariat asked her to protect the account with a second factor: between password and code the
    # header offers neither "Se connecter" nor "Créer un compte".
    person = User.objects.get(email="claire.martin@lyon.example")
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    page.goto(_in_french("account_login"))
    expect(page.get_by_role("heading", name=_fr("Sign in"), level=1)).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("sign-in-fr")
    screenshot("sign-in-fr", phone=True)
    page.get_by_label(_fr("E-mail address")).fill(person.email)
    page.get_by_label("Mot de passe").fill("Ville-de-Lyon-2026!")
    page.get_by_role("button", name=_fr("Sign in")).click()

    expect(page.get_by_role("heading", name=_fr("Two-factor authentication"), level=1)).to_be_visible()
    header = page.locator("body > header")
    expect(header.get_by_role("link", name=_fr("Sign in"))).to_have_count(0)
    expect(header.get_by_role("link", name=_fr("Sign up"))).to_have_count(0)
    _words_are_the_portal_s(page)
    check_page("two-factor-step-fr")
    screenshot("two-factor-step-fr", phone=True)
    with override_settings(MFA_TOTP_TOLERANCE=1):
        page.get_by_label("Code").fill(current_code(secret))
        page.get_by_role("button", name=_fr("Sign in")).click()
        expect(page.get_by_role("button", name=_fr("Sign out"))).to_be_visible()
    page.get_by_role("button", name=_fr("Sign out")).click()

    page.goto(_in_french("account_reset_password"))
    expect(page.get_by_role("heading", name=_fr("Reset your password"), level=1)).to_be_visible()
    check_page("password-reset-fr")
    screenshot("password-reset-fr", phone=True)
    page.get_by_label(_fr("E-mail address")).fill("c.martin@lyon.example")
    page.get_by_role("button", name=_fr("Send me the link")).click()
    expect(page.get_by_text(_fr("We have sent you an e-mail with a link to choose a new password."))).to_be_visible()
    _words_are_the_portal_s(page)
    check_page("password-reset-sent-fr")
    screenshot("password-reset-sent-fr", phone=True)
