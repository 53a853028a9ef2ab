"""allauth's e-mails (verification, password reset, "no account") go through the outbox like every other
e-mail: a row written with the change, delivered after commit, with the portal's name, in the recipient's
language, with links in that language."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.core import mail
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from notifications.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ana.reyes@quezoncity.example",
    "full_name": "Ana Reyes",
    "password1": "Smart-city-2026!",
    "password2": "Smart-city-2026!",
}


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = "https://clusters.we-gov.org"


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Runs what the request queued after commit, as a real request would (the test wraps it in a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _words(text: str) -> str:
    """The e-mail without its links: what it calls the site must not be a host name."""
    return "\n".join(line for line in text.splitlines() if "://" not in line)


def _in(language: str, url_name: str) -> str:
    with translation.override(language):
        return reverse(url_name)


def test_the_sign_up_verification_is_an_outbox_row_delivered_with_the_portals_name(client, deliver):
    with deliver():
        client.post(_in("en", "account_signup"), {**SIGNUP, "preferred_language": "en"})

    user = User.objects.get(email=SIGNUP["email"])
    row = OutboundEmail.objects.get(template="account/email/email_confirmation_signup")
    assert (row.recipient, row.recipient_user, row.language, row.status) == (user.email, user, "en", "sent")
    [message] = mail.outbox
    assert message.subject == row.subject == "[WeGO Clusters] Please Confirm Your Email Address"
    assert "Hello from WeGO Cluster Portal!" in message.body
    assert "clusters.we-gov.org" in message.body
    for host in ("127.0.0.1", "example.com", "testserver"):
        assert host not in _words(message.body)


def test_a_korean_sign_up_gets_its_verification_in_korean_with_a_korean_link(client, deliver):
    with deliver():
        client.post(_in("ko", "account_signup"), {**SIGNUP, "preferred_language": "ko"})

    row = OutboundEmail.objects.get(template="account/email/email_confirmation_signup")
    assert row.language == "ko"
    assert "이메일 주소를 확인하세요" in row.subject
    assert "WeGO 클러스터 포털" in row.text
    assert "/ko/accounts/confirm-email/" in mail.outbox[0].body


def test_a_korean_users_password_reset_is_in_korean_even_from_an_english_page(client, deliver):
    UserFactory(email="min-ji@seoul.example", preferred_language="ko")

    with deliver():
        client.post(_in("en", "account_reset_password"), {"email": "min-ji@seoul.example"})

    row = OutboundEmail.objects.get(template="account/email/password_reset_key")
    assert (row.recipient, row.language, row.status) == ("min-ji@seoul.example", "ko", "sent")
    assert "비밀번호" in row.subject
    assert "/ko/accounts/password/reset/key/" in row.text
    assert mail.outbox[0].body == row.text
    assert "127.0.0.1" not in _words(row.text) and "testserver" not in _words(row.text)


def test_two_password_reset_requests_send_two_emails(client, deliver):
    UserFactory(email="ana@example.org")

    with deliver():
        client.post(reverse("account_reset_password"), {"email": "ana@example.org"})
        client.post(reverse("account_reset_password"), {"email": "ana@example.org"})

    assert OutboundEmail.objects.filter(template="account/email/password_reset_key", status="sent").count() == 2
    assert len(mail.outbox) == 2


def test_an_unknown_address_is_told_in_the_pages_language_that_it_has_no_account(client, deliver):
    with deliver():
        client.post(_in("es", "account_reset_password"), {"email": "nobody@example.org"})

    row = OutboundEmail.objects.get(template="account/email/unknown_account")
    assert (row.recipient, row.recipient_user, row.language) == ("nobody@example.org", None, "es")
    assert "/es/accounts/signup/" in row.text
    assert mail.outbox[0].to == ["nobody@example.org"]


def test_a_verification_e_mail_is_not_written_when_its_change_rolls_back(deliver):
    user = UserFactory(email="ana@example.org")
    request = RequestFactory().get("/en/")
    request.user = user

    with deliver(), allauth_context.request_context(request), pytest.raises(RuntimeError), transaction.atomic():
        address = EmailAddress.objects.create(user=user, email="ana.reyes@quezoncity.example")
        address.send_confirmation(request)
        assert OutboundEmail.objects.filter(recipient="ana.reyes@quezoncity.example").exists()
        raise RuntimeError("the change fails after its e-mail was queued")

    assert not OutboundEmail.objects.filter(recipient="ana.reyes@quezoncity.example").exists()
    assert mail.outbox == []


def test_a_new_address_is_verified_in_its_users_language(client, deliver):
    user = UserFactory(email="min-ji@seoul.example", preferred_language="ko")
    client.force_login(user)

    with deliver():
        client.post(_in("ko", "account_email"), {"action_add": "", "email": "min-ji.kim@seoul.example"})

    row = OutboundEmail.objects.get(template="account/email/email_confirmation")
    assert (row.recipient, row.recipient_user, row.language) == ("min-ji.kim@seoul.example", user, "ko")
    assert mail.outbox[0].to == ["min-ji.kim@seoul.example"]
