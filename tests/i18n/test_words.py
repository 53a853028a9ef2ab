"""One spelling of the account words everywhere, in every language (issue 27): "Sign in", "Sign up", "Sign out"
and "e-mail" on our pages and on the account library's (allauth) pages, messages and form errors alike.

Each page a person meets around their account is rendered in each language, and its visible text (with the
labels, placeholders and names people read or hear) is searched for the variants below.
"""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import activate_totp
from tests.factories import TEST_PASSWORD, OrganisationMembershipFactory, UserFactory
from tests.i18n.catalogue import catalogue

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The portal's words: en "Sign in / Sign up / Sign out / e-mail"; ko 로그인 / 회원가입 / 로그아웃 / 이메일;
# es Iniciar sesión / Registrarse / Cerrar sesión / correo electrónico; fr Se connecter / Créer un compte /
# Se déconnecter / e-mail. What follows are the other spellings the pages must not show (a mail server, 메일 서버,
# is not an e-mail).
VARIANTS = {
    "en": [
        r"\bSign (?:In|Up|Out)\b",
        r"(?i)\blog ?(?:in|out)s?\b",
        r"(?i)\bemails?\b",  # email, Email, emails; not "e-mail"
        r"\bE-Mail",
    ],
    "ko": [r"(?i)\be-?mails?\b", r"전자\s?우편", r"(?<!이)메일(?!\s?서버)", r"로그\s+(?:인|아웃)"],
    "es": [r"(?i)\be-?mails?\b", r"(?i)\bcorreo-e\b", r"(?i)\bregístrate\b"],
    "fr": [r"(?i)(?<![-\w])emails?\b", r"(?i)\bcourriels?\b", r"(?i)\b(?:dé)?connexion\b", r"(?i)création de compte"],
}
# Text people read or hear besides the page's text nodes.
_SPOKEN_ATTRIBUTES = re.compile(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"')
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def visible_text(page: str) -> str:
    """What a person reads or hears on the page: its text, its <title>, and the spoken attributes."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    spoken = " ".join(_SPOKEN_ATTRIBUTES.findall(page))
    text = re.sub(r"(?s)<[^>]*>", " ", page)
    return _ADDRESS.sub(" ", html.unescape(f"{text} {spoken}"))


def variants_in(page: str, language: str) -> list[str]:
    text = visible_text(page)
    found = []
    for pattern in VARIANTS[language]:
        for match in re.finditer(pattern, text):
            found.append(text[max(match.start() - 40, 0) : match.end() + 40].strip())
    return found


def _in(language: str, name: str, *args, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, args=args, kwargs=kwargs or None)


def _pages(language: str) -> dict[str, str]:
    """Every page of the sign-up, sign-in, e-mail, password and two-factor steps, as people meet them, with
    the messages and errors they see on the way: name -> HTML."""
    pages = {}
    visitor = Client()

    def get(client, name, url):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content.decode()

    def post(client, name, url, data):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name] = response.content.decode()

    for name in (
        "home",
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_email_verification_sent",
        "account_inactive",
    ):
        get(visitor, name, _in(language, name))

    # Sign-up: a taken address, then a new one (the "confirmation sent" message); a wrong password.
    person = UserFactory(email=f"min-ji.{language}@seoul.example", full_name="Min-ji Kim")
    signup = {
        "full_name": "Ana",
        "preferred_language": language,
        "password1": "Smart-2026!",
        "password2": "Smart-2026!",
    }
    post(Client(), "signup: address taken", _in(language, "account_signup"), {**signup, "email": person.email})
    post(Client(), "signup: sent", _in(language, "account_signup"), {**signup, "email": f"ana.{language}@qc.example"})
    post(Client(), "login: wrong password", _in(language, "account_login"), {"login": person.email, "password": "x"})
    post(Client(), "reset: unknown", _in(language, "account_reset_password"), {"email": "nobody@example.org"})

    # The links of the e-mails: a password reset, an address to confirm; and spoilt ones.
    key = default_token_generator.make_token(person)
    get(
        Client(),
        "reset: new password",
        _in(language, "account_reset_password_from_key", uidb36=user_pk_to_url_str(person), key=key),
    )
    get(Client(), "reset: spoilt link", _in(language, "account_reset_password_from_key", uidb36="0", key="spoilt"))
    unconfirmed = EmailAddress.objects.create(user=person, email=f"second.{language}@seoul.example")
    get(Client(), "confirm e-mail", _in(language, "account_confirm_email", key=EmailConfirmationHMAC(unconfirmed).key))
    get(Client(), "confirm e-mail: spoilt link", _in(language, "account_confirm_email", key="spoilt"))

    # Signed in: the account pages, and what adding an address and changing the password say.
    member = OrganisationMembershipFactory(
        user__email=f"member.{language}@seoul.example", user__preferred_language=language
    ).user
    signed_in = Client()
    post(
        signed_in,
        "login: signed in",
        _in(language, "account_login"),
        {"login": member.email, "password": TEST_PASSWORD},
    )
    for name in (
        "accounts:profile",
        "account_email",
        "account_change_password",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
    ):
        get(signed_in, name, _in(language, name))
    post(
        signed_in,
        "e-mail: added",
        _in(language, "account_email"),
        {"action_add": "", "email": f"new.{language}@seoul.example"},
    )
    post(
        signed_in,
        "password: changed",
        _in(language, "account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": "Another-2026!", "password2": "Another-2026!"},
    )
    post(signed_in, "signed out", _in(language, "account_logout"), {})

    # Two-factor: the step between password and code, and the pages of someone who has an app and codes.
    protected = OrganisationMembershipFactory(user__email=f"protected.{language}@seoul.example").user
    activate_totp(protected)
    RecoveryCodes.activate(protected)
    second_step = Client()
    post(
        second_step,
        "mfa_authenticate",
        _in(language, "account_login"),
        {"login": protected.email, "password": TEST_PASSWORD},
    )
    post(second_step, "mfa_authenticate: wrong code", _in(language, "mfa_authenticate"), {"code": "000000"})
    with_app = Client()
    with_app.force_login(protected)
    for name in (
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ):
        get(with_app, name, _in(language, name))
    email = _in(language, "account_email")
    post(with_app, "e-mail: refused with two-factor", email, {"action_add": "", "email": "x@seoul.example"})
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_use_one_spelling_of_sign_in_sign_up_sign_out_and_e_mail(language):
    found = {name: variants for name, page in _pages(language).items() if (variants := variants_in(page, language))}

    assert not found, f"Other spellings on {language} pages:\n" + "\n".join(
        f"  {name}: {variants}" for name, variants in found.items()
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "<p>Confirm your Email</p>"),
        ("en", "<button>Sign In</button>"),
        ("en", '<input placeholder="Email address">'),
        ("ko", "<p>메일 주소</p>"),
        ("es", "<p>Dirección de email</p>"),
        ("fr", "<h1>Connexion</h1>"),
        ("fr", "<p>Votre adresse email</p>"),
    ],
)
def test_the_check_finds_a_variant(language, text):
    assert variants_in(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", '<p>Your e-mail address ana.email@example.org</p><input type="email" name="email">'),
        ("en", "<button>Sign in</button> <a>Sign up</a>"),
        ("ko", "<p>이메일 주소로 로그인</p>"),
        ("es", "<p>Correo electrónico</p>"),
        ("fr", "<p>Votre adresse e-mail. Se connecter.</p>"),
    ],
)
def test_the_check_lets_the_portal_s_own_words_pass(language, text):
    assert not variants_in(text, language)


def _without_placeholders(text: str) -> str:
    return re.sub(r"%\([^)]*\)[sd]|\{[^}]*\}", " ", text)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_sentence_of_the_catalogue_uses_the_portal_s_words(language):
    """Beyond the pages above: every string of our code, in English and in each translation (e-mails included)."""
    found = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        english = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translated = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text, text_language in [*((t, "en") for t in english), *((t, language) for t in translated)]:
            if variants := variants_in(html.escape(_without_placeholders(text)), text_language):
                found.append(f"{text_language}: {text[:80]!r}: {variants}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ("Current password", "New password", "New password (again)")),
        ("ko", ("현재 비밀번호", "새 비밀번호", "새 비밀번호 (확인)")),
        ("fr", ("Mot de passe actuel", "Nouveau mot de passe", "Nouveau mot de passe (confirmation)")),
    ],
)
def test_the_password_change_form_labels_are_in_sentence_case_like_the_rest_of_the_portal(client, language, labels):
    client.force_login(OrganisationMembershipFactory(user__preferred_language=language).user)
    page = html.unescape(client.get(_in(language, "account_change_password")).content.decode())

    for label in labels:
        assert re.search(rf"<label[^>]*>\s*{re.escape(label)}", page), label
    assert "Current Password" not in page and "New Password" not in page
