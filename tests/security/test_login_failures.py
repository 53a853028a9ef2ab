"""Failed log-ins are logged and limited per real client address behind the load balancer (issue 21, finding 4)."""

import logging

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.2"  # every request through the load balancer arrives from its address
TOO_MANY = "Too many failed attempts to sign in. Try again later."


def _log_in(client, email, password, *, forwarded_for):
    """A log-in through the balancer, which appends the address it was connected from."""
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_a_failed_sign_in_is_logged_without_the_password(client, user, caplog):
    with caplog.at_level(logging.WARNING, logger="wego.security"):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-123"})
    [record] = [r for r in caplog.records if r.name == "wego.security"]
    assert user.email in record.getMessage() and "127.0.0.1" in record.getMessage()
    assert "wrong-password-123" not in record.getMessage()


def test_the_security_log_names_the_client_behind_the_proxy(client, user, caplog, behind_one_proxy):
    with caplog.at_level(logging.WARNING, logger="wego.security"):
        _log_in(client, user.email, "wrong-password-123", forwarded_for="198.51.100.7")
    [record] = [r for r in caplog.records if r.name == "wego.security"]
    assert "198.51.100.7" in record.getMessage() and BALANCER not in record.getMessage()


def test_a_flood_from_one_client_does_not_refuse_another_clients_correct_log_in(client, behind_one_proxy):
    victim = UserFactory(email="ana@example.org")
    for attempt in range(12):
        _log_in(client, victim.email, f"guess-{attempt}", forwarded_for="198.51.100.7")

    flooder = _log_in(client, victim.email, TEST_PASSWORD, forwarded_for="198.51.100.7")
    assert TOO_MANY in flooder.text
    assert "_auth_user_id" not in client.session

    owner = _log_in(client, victim.email, TEST_PASSWORD, forwarded_for="203.0.113.9")
    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_a_flood_against_many_accounts_from_one_client_is_refused_per_address(client, behind_one_proxy):
    colleague = UserFactory(email="colleague@example.org")
    for attempt in range(10):
        _log_in(client, f"someone-{attempt}@example.org", "guess", forwarded_for="198.51.100.7")

    response = _log_in(client, colleague.email, TEST_PASSWORD, forwarded_for="198.51.100.7")

    assert TOO_MANY in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("proxies", [0, 1])
def test_addresses_the_client_writes_itself_do_not_rotate_the_limit(client, settings, proxies):
    """Without a trusted proxy the header is ignored; with one, only the entry our proxy appended counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    victim = UserFactory(email="ana@example.org")
    for attempt in range(5):
        spoofed = f"192.0.2.{attempt}"
        forwarded = spoofed if proxies == 0 else f"{spoofed}, 198.51.100.7"
        _log_in(client, victim.email, f"guess-{attempt}", forwarded_for=forwarded)

    forwarded = "192.0.2.99" if proxies == 0 else "192.0.2.99, 198.51.100.7"
    response = _log_in(client, victim.email, TEST_PASSWORD, forwarded_for=forwarded)

    assert TOO_MANY in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("forwarded_for", ["", "not-an-address", "198.51.100.7:53211"])
def test_an_odd_forwarded_header_never_breaks_the_log_in(client, behind_one_proxy, forwarded_for):
    member = UserFactory(email="ana@example.org")

    response = _log_in(client, member.email, TEST_PASSWORD, forwarded_for=forwarded_for)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
