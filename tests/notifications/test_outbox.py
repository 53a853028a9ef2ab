"""The outbox with tasks run in-process: what email_queue writes, what is sent, what is never sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from clusters import services as cluster_services
from clusters.models import ClusterEmailPreference
from notifications import services
from notifications.models import OutboundEmail
from notifications.tasks import deliver_email, outbound_email_claim
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory
from tests.notifications.digests import A_DAY_LATER

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """Queue an e-mail in a transaction and run what happens on commit (the task runs in-process)."""

    def run(recipient, *, key="check:1", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.email_queue(
                **({"address": recipient} if isinstance(recipient, str) else {"user": recipient}),
                template=kwargs.pop("template", "outbox_check"),
                context=kwargs.pop("context", {"number": 7}),
                dedup_key=key,
                **kwargs,
            )

    return run


def test_queued_email_is_a_row_and_is_sent_after_commit_with_text_and_html(queue, user):
    email = queue(user)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.recipient, email.recipient_user) == ("sent", 1, user.email, user)
    assert email.sent_at is not None
    [message] = mail.outbox
    assert (message.to, message.subject) == ([user.email], "Outbox check 7")
    assert "test message" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["X-WeGO-Key"] == "check:1"
    assert message.extra_headers["Message-ID"] == email.message_id


def test_nothing_is_written_or_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks, user):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="x:1")
        raise RuntimeError("the change failed")

    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_same_dedup_key_writes_one_row_and_sends_one_email(queue, user):
    first = queue(user, key="cluster-join-decided:5:user-1")
    second = queue(user, key="cluster-join-decided:5:user-1")

    assert second is None
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [first.pk]
    assert len(mail.outbox) == 1


def test_inactive_recipient_gets_nothing(queue):
    former = UserFactory(is_active=False)

    assert queue(former) is None
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_recipient_deactivated_before_delivery_gets_nothing(user):
    with transaction.atomic():
        email = services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="k")
    user.is_active = False
    user.save()

    assert deliver_email.delay(email.pk).get() == "skipped"
    email.refresh_from_db()
    assert email.status == "cancelled"
    assert mail.outbox == []


def test_deleting_an_account_deletes_the_emails_waiting_for_it(user):
    with transaction.atomic():
        email = services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="k")
    user.delete()

    assert not OutboundEmail.objects.filter(pk=email.pk).exists()
    assert deliver_email.delay(email.pk).get() == "skipped"
    assert mail.outbox == []


@pytest.mark.parametrize("address", ["not an address", "someone@example.org\nBcc: victim@example.org", ""])
def test_invalid_address_is_not_queued(queue, address):
    assert queue(address) is None
    assert not OutboundEmail.objects.exists()


def test_email_is_rendered_in_the_recipients_language(queue):
    korean = UserFactory(preferred_language="ko")

    assert queue(korean).language == "ko"


def test_email_over_the_size_limit_fails_at_once_and_reaches_no_server(queue, user, settings, smtp):
    settings.EMAIL_MAX_BYTES = 2000

    email = queue(user, attachments=[("agenda.pdf", b"%PDF-1.4" + b"x" * 4000, "application/pdf")])

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert "more than EMAIL_MAX_BYTES (2000)" in email.last_error
    assert smtp.received() == []


def test_in_process_run_marks_a_row_whose_connection_dropped_as_failed_at_once(queue, user, smtp):
    smtp.fault(user.email, "drop")

    email = queue(user)

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert smtp.received() == []


def test_claimed_row_is_not_claimed_again_while_its_lease_runs(user):
    with transaction.atomic():
        email = services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="k")

    assert outbound_email_claim(email.pk) is not None
    assert outbound_email_claim(email.pk) is None
    OutboundEmail.objects.filter(pk=email.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert outbound_email_claim(email.pk).attempts == 2


def test_sweep_requeues_only_rows_well_past_their_due_time(user, django_capture_on_commit_callbacks, settings):
    with transaction.atomic():
        recent = services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="a")
        stale = services.email_queue(user=user, template="outbox_check", context={"number": 2}, dedup_key="b")
    OutboundEmail.objects.filter(pk=stale.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=2))

    assert services.outbox_sweep() == 1

    assert OutboundEmail.objects.get(pk=stale.pk).status == "sent"
    assert OutboundEmail.objects.get(pk=recent.pk).status == "pending"
    assert [message.subject for message in mail.outbox] == ["Outbox check 2"]


# --- Leaders' daily digest ---------------------------------------------------------------------------


@pytest.fixture
def leader():
    return UserFactory(full_name="Javier Ortega")


@pytest.fixture
def mobility(leader):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])


@pytest.fixture
def governance(leader):
    return ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])


def _ask(django_capture_on_commit_callbacks, cluster, organisation_name):
    admin = OrganisationMembershipFactory(role="admin", organisation__name=organisation_name).user
    with django_capture_on_commit_callbacks(execute=True):
        cluster_services.cluster_membership_request(
            cluster=cluster, organisation=admin.organisation, by=admin, motivation="We run an ongoing project."
        )


def test_digest_gathers_several_events_into_one_email(django_capture_on_commit_callbacks, leader, mobility, governance):
    for cluster in (mobility, governance):
        cluster_services.cluster_email_preference_set(user=leader, cluster=cluster, frequency="daily")
    _ask(django_capture_on_commit_callbacks, mobility, "City of Daejeon")
    _ask(django_capture_on_commit_callbacks, mobility, "City of Quezon")
    _ask(django_capture_on_commit_callbacks, governance, "City of Seoul")
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(status="held").count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send(now=A_DAY_LATER()) == 1

    [digest] = mail.outbox
    assert digest.to == [leader.email]
    assert digest.subject == "Your daily digest: 3 new items in your clusters"
    for name in ("City of Daejeon", "City of Quezon", "City of Seoul", "Smart Mobility", "Smart Governance"):
        assert name in digest.body
    assert digest.body.index("Smart Governance") < digest.body.index("Smart Mobility")
    digest_row = OutboundEmail.objects.get(template="leader_digest")
    assert set(OutboundEmail.objects.filter(digest=digest_row).values_list("status", flat=True)) == {"digested"}


def test_digest_runs_again_without_repeating_events(django_capture_on_commit_callbacks, leader, mobility):
    cluster_services.cluster_email_preference_set(user=leader, cluster=mobility, frequency="daily")
    _ask(django_capture_on_commit_callbacks, mobility, "City of Daejeon")
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(now=A_DAY_LATER())
        assert services.digests_send(now=A_DAY_LATER()) == 0

    assert len(mail.outbox) == 1


def test_leader_gets_immediate_emails_for_clusters_without_a_digest(
    django_capture_on_commit_callbacks, leader, mobility, governance
):
    cluster_services.cluster_email_preference_set(user=leader, cluster=mobility, frequency="daily")

    _ask(django_capture_on_commit_callbacks, governance, "City of Seoul")

    [message] = mail.outbox
    assert "City of Seoul" in message.subject


def test_digest_of_a_leader_who_was_deactivated_is_not_sent(django_capture_on_commit_callbacks, leader, mobility):
    cluster_services.cluster_email_preference_set(user=leader, cluster=mobility, frequency="daily")
    _ask(django_capture_on_commit_callbacks, mobility, "City of Daejeon")
    leader.is_active = False
    leader.save()

    assert services.digests_send(now=A_DAY_LATER()) == 0
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"cancelled"}
    assert mail.outbox == []


def test_only_a_leader_sets_a_preference_for_a_cluster(user, mobility):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        cluster_services.cluster_email_preference_set(user=user, cluster=mobility, frequency="daily")
    assert not ClusterEmailPreference.objects.exists()


def test_beat_sweeps_every_minute_and_looks_for_due_digests_every_hour(settings):
    """Each leader's digest hour is in their own time zone (notifications.services.digests_send)."""
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["sweep-outbox"]["schedule"] == 60.0
    assert schedule["send-digests"]["schedule"].hour == set(range(24))
    assert schedule["send-digests"]["schedule"].minute == {0}


def test_a_row_waiting_for_its_back_off_is_not_claimed_early(user):
    with transaction.atomic():
        email = services.email_queue(user=user, template="outbox_check", context={"number": 1}, dedup_key="k")
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=4))

    assert outbound_email_claim(email.pk) is None
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert outbound_email_claim(email.pk) is not None
