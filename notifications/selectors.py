"""Reads of the outbox that other apps share (read-only)."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import OutboundEmail

# E-mails that are due to leave and have not: waiting (a first try or a retry) or being sent right now. Held
# e-mails wait for the daily digest on purpose.
UNDELIVERED_STATUSES = (OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING)


def oldest_undelivered_email_age(now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the oldest e-mail still waiting to leave has waited; None when none waits (one query, on the
    (status, created_at) index)."""
    oldest = OutboundEmail.objects.filter(status__in=UNDELIVERED_STATUSES).aggregate(oldest=Min("created_at"))["oldest"]
    return None if oldest is None else (now or timezone.now()) - oldest


def outbox_figures() -> dict[str, int]:
    """How many e-mails wait to leave and how many failed for good (kept until pruned), in one query."""
    return OutboundEmail.objects.aggregate(
        undelivered=Count("pk", filter=Q(status__in=UNDELIVERED_STATUSES)),
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
    )
