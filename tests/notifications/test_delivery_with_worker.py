"""Delivery through a real Redis broker, a real Celery worker and a real SMTP server (STARTTLS and AUTH, in its own
process: tests/mailserver.py): nothing lost, nothing twice, and the server's answers classified."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clusters.models import ClusterMembership
from notifications import services
from notifications.models import OutboundEmail
from notifications.tasks import deliver_email, outbound_email_claim, sweep_outbox
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory
from tests.notifications.conftest import MARKER_ADDRESS, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("smtp")]


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


def _received(smtp):
    return [received for received in smtp.received() if received.rcpt_tos != [MARKER_ADDRESS]]


def _recipients(smtp) -> list[str]:
    """Who the SMTP server accepted a message for (the drain's marker e-mails left out)."""
    return [address for address in smtp.recipients() if address != MARKER_ADDRESS]


def _leader_addresses(leaders) -> list[str]:
    return sorted(leader.email for leader in leaders)


def _as_if_a_minute_passed() -> None:
    """Make every row look more than a minute past its due time, which is what the sweep looks for."""
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))


def _queue_one(recipient, key="decision:1") -> OutboundEmail:
    with transaction.atomic():
        return services.email_queue(user=recipient, template="outbox_check", context={"number": 1}, dedup_key=key)


def test_join_request_emails_every_leader_exactly_once(client, celery_worker, drain, cluster, leaders, requester, smtp):
    with celery_worker():
        response = _ask_to_join(client, cluster, requester)
        drain()
        # The broker handing a task out again, or the sweep running, sends nothing more.
        for email in OutboundEmail.objects.all():
            deliver_email.delay(email.pk)
        sweep_outbox.delay()
        drain()

    assert response.status_code == 302
    assert _recipients(smtp) == _leader_addresses(leaders)
    assert all("City of Daejeon" in received.message["Subject"] for received in _received(smtp))
    assert list(OutboundEmail.objects.order_by().values_list("status", "attempts").distinct()) == [("sent", 1)]


def test_request_succeeds_while_broker_is_down_and_the_sweep_delivers_later(
    client, broker_down, celery_worker, drain, cluster, leaders, requester, smtp
):
    with broker_down():
        response = _ask_to_join(client, cluster, requester)

    assert response.status_code == 302
    assert ClusterMembership.objects.filter(cluster=cluster, status="pending").count() == 1
    assert OutboundEmail.objects.filter(status="pending").count() == 3
    assert smtp.received() == []

    _as_if_a_minute_passed()
    with celery_worker():
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(status="sent").count() == 3, what="the sweep's deliveries")
    assert _recipients(smtp) == _leader_addresses(leaders)


def test_the_sweep_leaves_recent_pending_rows_to_their_own_task(real_celery, celery_worker, drain, leaders, smtp):
    email = _queue_one(leaders[0])
    real_celery.control.purge()  # the row's own task is lost

    with celery_worker():
        sweep_outbox.delay()
        drain()
        assert OutboundEmail.objects.get(pk=email.pk).status == "pending"
        _as_if_a_minute_passed()
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="the sweep")
    assert _recipients(smtp) == [leaders[0].email]


def test_row_of_a_worker_killed_after_claiming_is_sent_once_after_the_lease(
    real_celery, celery_worker, drain, leaders, smtp
):
    email = _queue_one(leaders[0])
    real_celery.control.purge()
    # A worker claimed the row and died before sending: the row is "sending" under its lease.
    assert outbound_email_claim(email.pk) is not None

    with celery_worker():
        sweep_outbox.delay()
        drain()
        assert (OutboundEmail.objects.get(pk=email.pk).status, _recipients(smtp)) == ("sending", [])

        OutboundEmail.objects.filter(pk=email.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        # The sweep, a second sweep and the broker redelivering the dead worker's task all race for it.
        sweep_outbox.delay()
        sweep_outbox.delay()
        deliver_email.delay(email.pk)
        drain()
        drain()

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert _recipients(smtp) == [leaders[0].email]


def test_a_server_that_keeps_answering_4xx_is_retried_then_the_row_is_marked_failed(
    settings, celery_worker, drain, leaders, smtp
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    smtp.fault(leaders[0].email, "451 4.3.0 Mailbox busy, try again later", times=-1)

    with celery_worker():
        email = _queue_one(leaders[0])
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="failed").exists(), what="failure")

    email.refresh_from_db()
    assert email.attempts == 3
    assert email.last_error == (
        f"The mail server refused the recipient (SMTPRecipientsRefused): {leaders[0].email}: "
        "451 4.3.0 Mailbox busy, try again later"
    )
    assert _recipients(smtp) == []


def test_a_4xx_answer_is_retried_with_back_off_and_the_email_delivered_once(settings, celery_worker, leaders, smtp):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    smtp.fault(leaders[0].email, "451 4.7.1 Greylisted, please try again", times=2)

    with celery_worker():
        email = _queue_one(leaders[0])
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="delivery")

    email.refresh_from_db()
    assert email.attempts == 3
    assert smtp.faults_left(leaders[0].email) == 0
    assert _recipients(smtp) == [leaders[0].email]
    assert "451 4.7.1 Greylisted" in email.last_error  # the last refusal stays on record for staff


def test_a_dropped_connection_is_retried_and_the_email_delivered_once(settings, celery_worker, leaders, smtp):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    smtp.fault(leaders[0].email, "drop", stage="data")

    with celery_worker():
        email = _queue_one(leaders[0])
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="delivery")

    email.refresh_from_db()
    assert email.attempts == 2
    assert "SMTPServerDisconnected" in email.last_error
    assert _recipients(smtp) == [leaders[0].email]


def test_a_5xx_answer_fails_the_row_at_once_and_the_other_rows_go(settings, celery_worker, drain, leaders, smtp):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    bad = leaders[1]
    smtp.fault(bad.email, "550 5.1.1 Mailbox unavailable: no such user here", times=-1)

    with celery_worker():
        with transaction.atomic():
            emails = [
                services.email_queue(user=leader, template="outbox_check", context={"number": n}, dedup_key=f"k:{n}")
                for n, leader in enumerate(leaders)
            ]
        drain()

    statuses = {email.recipient: (email.status, email.attempts) for email in OutboundEmail.objects.all()}
    assert statuses == {
        leaders[0].email: ("sent", 1),
        bad.email: ("failed", 1),
        leaders[2].email: ("sent", 1),
    }
    failed = OutboundEmail.objects.get(pk=emails[1].pk)
    assert failed.last_error == (
        f"The mail server refused the recipient (SMTPRecipientsRefused): {bad.email}: "
        "550 5.1.1 Mailbox unavailable: no such user here"
    )
    assert _recipients(smtp) == sorted([leaders[0].email, leaders[2].email])


def test_a_5xx_answer_to_the_message_fails_the_row_with_the_servers_words(celery_worker, drain, leaders, smtp):
    smtp.fault(leaders[0].email, "554 5.6.0 Message rejected as spam", stage="data", times=-1)

    with celery_worker():
        email = _queue_one(leaders[0])
        drain()

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert email.last_error == "The mail server answered (SMTPDataError): 554 5.6.0 Message rejected as spam"


def test_staff_send_a_failed_row_again_once_the_mail_server_is_back(settings, celery_worker, drain, leaders, smtp):
    email = _queue_one(leaders[0])
    OutboundEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8, last_error="SMTP down")

    with celery_worker():
        assert services.outbound_emails_resend(emails=OutboundEmail.objects.filter(pk=email.pk)) == 1
        wait_until(lambda: OutboundEmail.objects.filter(pk=email.pk, status="sent").exists(), what="the resend")

    assert _recipients(smtp) == [leaders[0].email]
    # The same message as the first attempt would have been: mail clients recognise a repeat by its Message-ID.
    [received] = smtp.received()
    assert received.message["Message-ID"] == email.message_id


def _submit_application(client, cluster):
    from tests.factories import ProjectApplicationFactory

    official = OrganisationMembershipFactory(role="admin", organisation__name="City of Daejeon").user
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)
    client.force_login(official)
    response = client.post(reverse("applications:transition", args=[application.pk]), {"action": "submit"})
    return response, application


def test_an_application_submission_emails_every_leader_exactly_once(
    client, celery_worker, drain, cluster, leaders, smtp
):
    with celery_worker():
        response, application = _submit_application(client, cluster)
        drain()
        sweep_outbox.delay()
        drain()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert _recipients(smtp) == _leader_addresses(leaders)
    assert all(application.title in received.message["Subject"] for received in _received(smtp))


def test_an_application_is_submitted_while_the_broker_is_down_and_its_emails_go_later(
    client, broker_down, celery_worker, cluster, leaders, smtp
):
    with broker_down():
        response, application = _submit_application(client, cluster)
    application.refresh_from_db()
    assert response.status_code == 302 and application.status == "submitted"
    assert smtp.received() == []
    _as_if_a_minute_passed()
    with celery_worker():
        sweep_outbox.delay()
        wait_until(lambda: OutboundEmail.objects.filter(status="sent").count() == 3, what="the sweep's deliveries")
    assert _recipients(smtp) == _leader_addresses(leaders)
