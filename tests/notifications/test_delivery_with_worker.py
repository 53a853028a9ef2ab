"""Delivery through a real Redis broker and a real Celery worker: nothing lost, nothing twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clusters.models import ClusterMembership
from notifications import services
from notifications.models import OutboundEmail
from notifications.tasks import deliver_email, outbound_email_claim, sweep_outbox
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory
from tests.notifications.backends import RefusingBackend
from tests.notifications.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def leaders():
    return UserFactory.create_batch(3)


@pytest.fixture
def cluster(leaders):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=leaders)


@pytest.fixture
def requester():
    return OrganisationMembershipFactory(role="admin", organisation__name="City of Daejeon").user


def _ask_to_join(client, cluster, requester):
    client.force_login(requester)
    return client.post(
        reverse("clusters:join", kwargs={"slug": cluster.slug}),
        {"motivation": "Our bus priority project is ongoing and we want to compare notes."},
    )


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _leader_addresses(leaders) -> list[str]:
    return sorted(leader.email for leader in leaders)


def _as_if_a_minute_passed() -> None:
    """Make every row look more than a minute past its due time, which is what the sweep looks for."""
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))


def _queue_one(recipient, key="decision:1") -> OutboundEmail:
    with transaction.atomic():
        return services.email_queue(recipient=recipient, template="outbox_check", context={"number": 1}, dedup_key=key)


def test_join_request_emails_every_leader_exactly_once(client, celery_worker, drain, cluster, leaders, requester):
    with celery_worker():
        response = _ask_to_join(client, cluster, requester)
        drain()
        # The broker handing a task out again, or the sweep running, sends nothing more.
        for email in OutboundEmail.objects.all():
            deliver_email.delay(email.pk)
        sweep_outbox.delay()
        drain()

    assert response.status_code == 302
    assert _recipients() == _leader_addresses(leaders)
    assert all("City of Daejeon" in message.subject for message in mail.outbox)
    assert list(OutboundEmail.objects.order_by().values_list("status", "attempts").distinct()) == [("sent", 1)]


def test_request_succeeds_while_broker_is_down_and_the_sweep_delivers_later(
    client, broker_down, celery_worker, drain, cluster, leaders, requester
):
    with broker_down():
        response = _ask_to_join(client, cluster, requester)

    assert response.status_code == 302
    assert ClusterMembership.objects.filter(cluster=cluster, status="pending").count() == 1
    assert OutboundEmail.objects.filter(status="pending").count() == 3
    assert mail.outbox == []

    _as_if_a_minute_passed()
    with celery_worker():
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(status="sent").count() == 3, what="the sweep's deliveries")
    assert _recipients() == _leader_addresses(leaders)


def test_the_sweep_leaves_recent_pending_rows_to_their_own_task(real_celery, celery_worker, drain, leaders):
    email = _queue_one(leaders[0])
    real_celery.control.purge()  # the row's own task is lost

    with celery_worker():
        sweep_outbox.delay()
        drain()
        assert OutboundEmail.objects.get(pk=email.pk).status == "pending"
        _as_if_a_minute_passed()
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="the sweep")
    assert _recipients() == [leaders[0].email]


def test_row_of_a_worker_killed_after_claiming_is_sent_once_after_the_lease(real_celery, celery_worker, drain, leaders):
    email = _queue_one(leaders[0])
    real_celery.control.purge()
    # A worker claimed the row and died before sending: the row is "sending" under its lease.
    assert outbound_email_claim(email.pk) is not None

    with celery_worker():
        sweep_outbox.delay()
        drain()
        assert (OutboundEmail.objects.get(pk=email.pk).status, mail.outbox) == ("sending", [])

        OutboundEmail.objects.filter(pk=email.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        # The sweep, a second sweep and the broker redelivering the dead worker's task all race for it.
        sweep_outbox.delay()
        sweep_outbox.delay()
        deliver_email.delay(email.pk)
        drain()
        drain()

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert _recipients() == [leaders[0].email]


def test_failing_mail_server_is_retried_then_the_row_is_marked_failed(settings, celery_worker, drain, leaders):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    RefusingBackend.attempts.clear()

    with celery_worker():
        email = _queue_one(leaders[0])
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="failed").exists(), what="failure")

    email.refresh_from_db()
    assert RefusingBackend.attempts == [leaders[0].email] * 3
    assert email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error


def test_staff_send_a_failed_row_again_once_the_mail_server_is_back(settings, celery_worker, drain, leaders):
    email = _queue_one(leaders[0])
    OutboundEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8, last_error="SMTP down")

    with celery_worker():
        assert services.outbound_emails_resend(emails=OutboundEmail.objects.filter(pk=email.pk)) == 1
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="the resend")

    assert _recipients() == [leaders[0].email]


def _submit_application(client, cluster):
    from tests.factories import ProjectApplicationFactory

    official = OrganisationMembershipFactory(role="admin", organisation__name="City of Daejeon").user
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)
    client.force_login(official)
    response = client.post(reverse("applications:transition", args=[application.pk]), {"action": "submit"})
    return response, application


def test_an_application_submission_emails_every_leader_exactly_once(client, celery_worker, drain, cluster, leaders):
    with celery_worker():
        response, application = _submit_application(client, cluster)
        drain()
        sweep_outbox.delay()
        drain()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert _recipients() == _leader_addresses(leaders)
    assert all(application.title in message.subject for message in mail.outbox)


def test_an_application_is_submitted_while_the_broker_is_down_and_its_emails_go_later(
    client, broker_down, celery_worker, cluster, leaders
):
    with broker_down():
        response, application = _submit_application(client, cluster)
    application.refresh_from_db()
    assert response.status_code == 302 and application.status == "submitted"
    assert mail.outbox == []
    _as_if_a_minute_passed()
    with celery_worker():
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(status="sent").count() == 3, what="the sweep's deliveries")
    assert _recipients() == _leader_addresses(leaders)
