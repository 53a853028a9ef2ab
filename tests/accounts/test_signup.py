"""Sign-up, e-mail verification and log-in through django-allauth, as our settings configure it."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import TEST_PASSWORD, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ana.reyes@quezoncity.example",
    "full_name": "Ana Reyes",
    "preferred_language": "es",
    "password1": "Smart-city-2026!",
    "password2": "Smart-city-2026!",
}


def test_signup_creates_an_unverified_user_and_sends_a_verification_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert user.full_name == "Ana Reyes"
    assert user.preferred_language == "es"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    with translation.override("es"):  # the person's preferred language, links included
        assert reverse("account_email_verification_sent") in mail.outbox[0].body


def test_unverified_user_cannot_log_in(client):
    UserFactory(email="new@example.org", verified=False)

    response = client.post(reverse("account_login"), {"login": "new@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_duplicate_email_is_refused_with_a_clear_message_and_keeps_what_was_typed(client):
    UserFactory(email=SIGNUP["email"])

    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert 'value="Ana Reyes"' in response.content.decode()
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1


def test_weak_password_is_refused_with_the_reason(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password1": "12345", "password2": "12345"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "too short" in html
    assert 'value="ana.reyes@quezoncity.example"' in html
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_empty_full_name_is_refused(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_verified_user_without_organisation_is_guided_to_set_one_up(client):
    UserFactory(email="ana@example.org")

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_start")


def test_member_logs_in_to_their_profile(client):
    member = OrganisationMembershipFactory().user

    response = client.post(reverse("account_login"), {"login": member.email, "password": TEST_PASSWORD})

    assert response.url == reverse("accounts:profile")


def test_wrong_password_says_so_without_revealing_whether_the_account_exists(client):
    UserFactory(email="ana@example.org")

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": "wrong-password"})

    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()


def test_repeated_login_failures_are_refused_even_with_the_right_password(client):
    UserFactory(email="ana@example.org")
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": "ana@example.org", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": TEST_PASSWORD})

    assert "Too many failed attempts to sign in. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url_name", ["account_reset_password", "account_change_password", "account_email", "mfa_index"]
)
def test_account_management_pages_render_in_our_layout(client, url_name):
    client.force_login(OrganisationMembershipFactory().user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "WeGO Cluster Portal" in response.content.decode()


def test_password_reset_sends_a_link(client, django_capture_on_commit_callbacks):
    UserFactory(email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "ana@example.org"})

    assert len(mail.outbox) == 1
    assert reverse("account_reset_password") + "key/" in mail.outbox[0].body


def _reset_page_for(client, email: str) -> tuple:
    """What a person sees after asking for a password reset: the status and the page they land on."""
    response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
    return response.status_code, response.redirect_chain, response.content.decode()


def test_password_reset_answers_a_registered_and_an_unknown_address_alike(client):
    UserFactory(email="ana@example.org")

    registered = _reset_page_for(client, "ana@example.org")
    unknown = _reset_page_for(client, "nobody@example.org")

    assert registered == unknown
    assert registered[1] == [(reverse("account_reset_password_done"), 302)]


def test_the_two_factor_step_offers_neither_sign_in_nor_sign_up(client):
    """Issue 27: between the password and the code the person is half signed in; the visitor's "Sign in / Sign up"
    in the header read as if the password had been refused."""
    from tests.conftest import activate_totp

    person = UserFactory(email="staff@we-gov.example")
    activate_totp(person)

    response = client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert '<h1 class="h3 mb-3">Two-factor authentication</h1>' in html
    assert f'href="{reverse("account_login")}"' not in html and f'href="{reverse("account_signup")}"' not in html
    assert ">Sign in</button>" in html and 'form="logout-from-stage"' in html
