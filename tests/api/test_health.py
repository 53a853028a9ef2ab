"""/health/live and /health/ready: what an operator's probe sees when the portal, Redis or the outbox fail."""

import datetime as dt
import socket

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from notifications.models import OutboundEmail


def _closed_port() -> int:
    """A port on this machine where nothing listens: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker(settings):
    """The readiness check asks the broker of the settings: the suite's own Redis database."""
    settings.CELERY_BROKER_URL = django_settings.REDIS_URL
    return settings


def test_live_answers_without_asking_anything(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")

    assert response.status_code == 200 and response.json() == {}


@pytest.mark.django_db(transaction=True)
def test_ready_checks_database_cache_storage_broker_and_outbox(client, broker):
    response = client.get("/health/ready", HTTP_ACCEPT="text/html")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body.values()) == {"OK"}
    names = " ".join(body)
    for check in ("Database", "Cache", "Storage", "Redis", "OutboxBacklog"):
        assert check in names


@pytest.mark.django_db(transaction=True)
def test_ready_turns_unhealthy_while_redis_is_unreachable_and_healthy_again(client, broker):
    reachable = broker.CELERY_BROKER_URL
    broker.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/3"

    down = client.get("/health/ready")

    broker.CELERY_BROKER_URL = reachable
    up = client.get("/health/ready")

    assert down.status_code == 503
    assert next(message for name, message in down.json().items() if "Redis" in name).startswith("Unavailable")
    assert up.status_code == 200, up.content


@pytest.mark.django_db(transaction=True)
def test_ready_turns_unhealthy_when_an_email_waits_too_long(client, broker):
    broker.HEALTH_OUTBOX_MAX_AGE_MINUTES = 30
    email = OutboundEmail.objects.create(
        recipient="leader@city.example",
        language="en",
        template="test",
        subject="A new application",
        text="…",
        dedup_key="health-test",
        created_at=timezone.now() - dt.timedelta(minutes=45),
    )

    stuck = client.get("/health/ready")
    email.status = OutboundEmail.Status.SENT
    email.save(update_fields=["status"])
    delivered = client.get("/health/ready")

    assert stuck.status_code == 503
    assert "45 minutes" in next(message for name, message in stuck.json().items() if "Outbox" in name)
    assert delivered.status_code == 200
    assert OutboundEmail.objects.count() == 1  # the check only reads


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_tasks_run_in_process_and_nothing_is_asked(client, settings):
    settings.CELERY_BROKER_URL = "memory://localhost/"

    response = client.get("/health/ready")

    assert response.status_code == 200
    assert not any("Redis" in name for name in response.json())
