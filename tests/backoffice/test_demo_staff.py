"""The demo staff login works end to end: password, then the authenticator code, then the back office."""

import re
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tolerant_codes(settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed as the 30-second step turns is still accepted


def _seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return re.search(r"Add this key to one .*: ([A-Z2-7]+)", out.getvalue()).group(1)


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())  # around now; the middle one is now
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_seed_demo_prints_the_same_staff_key_on_every_run(settings):
    settings.DEBUG = True

    assert _seed_demo() == _seed_demo()


def test_demo_staff_signs_in_with_password_and_code_and_reaches_the_dashboard(client, settings):
    settings.DEBUG = True
    secret = _seed_demo()

    client.get(reverse("admin:index"), follow=True)
    stage = client.post(
        reverse("account_login"),
        {"login": "staff@demo.wego.example", "password": "wego-demo-2026", "next": reverse("admin:index")},
    )
    assert stage["Location"] == reverse("mfa_authenticate")
    done = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})

    assert done["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_demo_code_prints_the_code_the_login_accepts(client, settings):
    settings.DEBUG = True
    _seed_demo()
    out = StringIO()
    call_command("demo_code", stdout=out)

    client.post(reverse("account_login"), {"login": "staff@demo.wego.example", "password": "wego-demo-2026"})
    client.post(reverse("mfa_authenticate"), {"code": out.getvalue().strip()})

    assert client.get(reverse("admin:index")).status_code == 200


def test_demo_code_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")
