"""E-mails are kept OUTBOX_RETENTION_DAYS, then pruned by a daily task (security review, finding 9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.tasks import prune_outbox

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


def _email(key: str, status: str, *, age_days: int, sent_age_days: int | None = None) -> OutboundEmail:
    now = timezone.now()
    return OutboundEmail.objects.create(
        recipient="someone@example.org",
        language="en",
        template="outbox_check",
        subject="Hello",
        text="Hello",
        dedup_key=key,
        status=status,
        created_at=now - timedelta(days=age_days),
        sent_at=None if sent_age_days is None else now - timedelta(days=sent_age_days),
    )


def _left() -> set[str]:
    return set(OutboundEmail.objects.values_list("dedup_key", flat=True))


def test_prune_deletes_sent_e_mails_older_than_the_retention_and_keeps_newer_and_unsent_ones(settings):
    settings.OUTBOX_RETENTION_DAYS = 90
    _email("sent-old", Status.SENT, age_days=120, sent_age_days=91)
    _email("sent-new", Status.SENT, age_days=120, sent_age_days=89)  # retried for a month, sent lately
    _email("pending-old", Status.PENDING, age_days=200)
    _email("held-old", Status.HELD, age_days=200)
    _email("sending-old", Status.SENDING, age_days=200)

    assert prune_outbox.delay().get() == 1

    assert _left() == {"sent-new", "pending-old", "held-old", "sending-old"}


def test_failed_digested_and_cancelled_e_mails_go_after_the_retention_counted_from_queueing(settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    for status in (Status.FAILED, Status.DIGESTED, Status.CANCELLED):
        _email(f"{status}-old", status, age_days=31)
        _email(f"{status}-new", status, age_days=29)

    assert prune_outbox.delay().get() == 3

    assert _left() == {"failed-new", "digested-new", "cancelled-new"}


def test_pruning_a_digest_keeps_the_rows_it_gathered_until_their_own_time(settings):
    settings.OUTBOX_RETENTION_DAYS = 90
    digest = _email("digest", Status.SENT, age_days=100, sent_age_days=100)
    gathered = _email("gathered", Status.DIGESTED, age_days=60)
    OutboundEmail.objects.filter(pk=gathered.pk).update(digest=digest)

    prune_outbox.delay().get()

    gathered.refresh_from_db()
    assert (_left(), gathered.digest) == ({"gathered"}, None)


def test_beat_prunes_the_outbox_daily(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["prune-outbox"]

    assert schedule["task"] == "notifications.tasks.prune_outbox"
    assert (schedule["schedule"].hour, schedule["schedule"].minute) == ({3}, {30})
