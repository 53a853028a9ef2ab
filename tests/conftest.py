"""Fixtures shared by the whole suite. The suite needs PostgreSQL and Redis on 127.0.0.1 and says so."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory
from tests.mailserver import MailServer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it are
# still synchronous, so Django's async-safety guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no",
}


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """Compile the message catalogues (as `make test` does), then stop at once, with the command that fixes
    it, when a service the suite needs is down."""
    from core.catalogues import compile_catalogues

    compile_catalogues()
    db = settings.DATABASES["default"]
    redis = urlparse(settings.REDIS_URL)
    services = {
        "PostgreSQL": (db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)),
        "Redis": (redis.hostname, redis.port or 6379),
    }
    for name, (host, port) in services.items():
        if not _reachable(host, port):
            pytest.exit(
                f"{name} is not reachable at {host}:{port}. The test suite runs against a real {name}; "
                f"start it (for example: {HOW_TO_START[name]}) and run `make test` again.",
                returncode=3,
            )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each request activates its page's language for the thread; every test starts again in English, so
    reverse() gives the same address whatever test ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps its rate-limit counters in the cache; one test's attempts must not limit the next. The
    public pages cached by one test must not be served to the next."""
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory):
    """A real SMTP server (STARTTLS and AUTH, as a provider's submission port) in its own process, one per
    pytest-xdist worker: tests/mailserver.py."""
    server = MailServer(tmp_path_factory.mktemp("smtp"))
    yield server
    server.stop()


@pytest.fixture
def smtp(mail_server, settings, monkeypatch):
    """The portal sends through the test SMTP server for this test, which starts with nothing received and no
    fault scripted. The client trusts the server's self-signed certificate the standard way (SSL_CERT_FILE), so
    Django's own SMTP backend verifies it as it verifies a provider's."""
    mail_server.reset()
    for name, value in mail_server.django_settings().items():
        setattr(settings, name, value)
    monkeypatch.setenv("SSL_CERT_FILE", mail_server.ca)
    yield mail_server
    mail_server.reset()


@pytest.fixture
def user(db):
    return UserFactory()


def activate_totp(user):
    """Give `user` an activated authenticator app (TOTP), as staff need before they reach the back office."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret())


@pytest.fixture
def staff_user(db):
    """Secretariat staff with two-factor authentication set up, so admin pages open."""
    user = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(user)
    return user


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def org_admin(organisation):
    return OrganisationMembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def org_contact(organisation):
    return OrganisationMembershipFactory(organisation=organisation, role="contact").user


def pytest_terminal_summary(terminalreporter):
    """The security figures the closing notes quote: matrix cells checked, fuzz examples tried."""
    import sys

    matrix = sys.modules.get("tests.security.test_authorization_matrix")
    if matrix and matrix.CELLS_CHECKED:
        cells, urls = len(matrix.CELLS_CHECKED), len(set(matrix.CELLS_CHECKED))
        terminalreporter.write_line(f"Authorization matrix: {cells} cells checked over {urls} URLs.")
    fuzz = sys.modules.get("tests.security.test_fuzz_forms")
    if fuzz and fuzz.EXAMPLES_TRIED:
        tried, forms = len(fuzz.EXAMPLES_TRIED), len(set(fuzz.EXAMPLES_TRIED))
        terminalreporter.write_line(f"Fuzzing: {tried} random submissions to {forms} forms, none answered 500.")
