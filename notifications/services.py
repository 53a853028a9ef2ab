"""The one way the portal sends e-mail: rows in an outbox, delivered by Celery after commit.

Callers describe an e-mail (recipient, template, context, a de-duplication key); `email_queue` renders it
in the recipient's language and writes an `OutboundEmail` row inside the caller's transaction. Only when
that transaction commits is the row's id handed to Celery, so a rolled back change never e-mails anybody
and a committed one always has its e-mail on record. Delivery itself is in notifications/tasks.py.
"""

import base64
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# After the broker refused one hand-over, later ones in this process skip it for this long instead of each
# making the user's request wait for a connection timeout; the sweep delivers those rows.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(*, template: str, context: Mapping, language: str) -> RenderedEmail:
    """Render templates/notifications/email/<template>.{subject.txt,txt,html} in `language`."""
    base = f"notifications/email/{template}"
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{base}.subject.txt", context)
        return RenderedEmail(
            subject=" ".join(subject.split()),
            text=render_to_string(f"{base}.txt", context),
            html=render_to_string(f"{base}.html", context),
        )


def _encode_attachments(attachments: Sequence[tuple[str, bytes | str, str]]) -> list[dict[str, str]]:
    encoded = []
    for filename, content, mimetype in attachments:
        raw = content.encode() if isinstance(content, str) else content
        encoded.append({"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")})
    return encoded


# Whether an e-mail about a cluster waits for its recipient's daily digest: a callable (user, cluster) -> bool that
# the app owning the preference registers (clusters.apps: clusters.selectors.leader_wants_digest), so that
# notifications imports none of the apps that use it. Without one, nothing is held.
digest_preference: Callable[..., bool] | None = None


def digest_preference_register(preference: Callable[..., bool]) -> None:
    global digest_preference
    digest_preference = preference


def _holds_for_digest(user, cluster) -> bool:
    if cluster is None or user is None or digest_preference is None:
        return False
    return digest_preference(user, cluster)


def email_queue(
    *,
    recipient,
    template: str,
    context: Mapping,
    dedup_key: str,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    cluster=None,
) -> OutboundEmail | None:
    """Send `template` to `recipient` (a User, or a plain address for the secretariat) after commit.

    `dedup_key` names the event and the recipient (for example "organisation-join-decided:42"); a second
    call with the same key writes nothing and sends nothing. `attachments` are (filename, content, mimetype)
    triples, such as an event's .ics file. `cluster` is the cluster the e-mail is about, when it goes to
    that cluster's leader: a leader who chose the daily digest for it gets it in the next digest instead.
    Returns the outbox row, or None when nothing is queued (duplicate, inactive recipient, bad address).
    """
    user = None if isinstance(recipient, str) else recipient
    language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    return email_queue_rendered(
        address=recipient if user is None else user.email,
        user=user,
        language=language,
        template=template,
        render=lambda: email_render(template=template, context={"recipient": recipient, **context}, language=language),
        dedup_key=dedup_key,
        attachments=attachments,
        cluster=cluster,
    )


def email_queue_rendered(
    *,
    address: str,
    user,
    language: str,
    template: str,
    render: Callable[[], RenderedEmail],
    dedup_key: str,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    cluster=None,
) -> OutboundEmail | None:
    """Send what `render()` returns to `address` after commit, as `email_queue` does; `user` is the person the
    address belongs to or is being added for (None for an address without an account).

    For e-mails whose templates are not the portal's: django-allauth's (accounts/adapter.py), which go to
    addresses that are not yet the user's own (a new address to verify) or to no user at all. `render` is
    called only when the row is written, in the language the caller chose.
    """
    if user is not None and not user.is_active:
        return None
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("Not queueing %s (%s): %r is not a valid e-mail address.", template, dedup_key, address)
        return None
    if OutboundEmail.objects.filter(dedup_key=dedup_key).exists():
        return None
    rendered = render()
    held = _holds_for_digest(user, cluster)
    try:
        # A savepoint: a concurrent transaction that queued the same key first wins, and the caller's
        # transaction carries on without a second row.
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                recipient=address,
                recipient_user=user,
                language=language,
                template=template,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                attachments=_encode_attachments(attachments),
                dedup_key=dedup_key,
                cluster=cluster,
                status=OutboundEmail.Status.HELD if held else OutboundEmail.Status.PENDING,
            )
    except IntegrityError:
        return None
    if not held:
        transaction.on_commit(partial(outbound_email_publish, email.pk))
    return email


def outbound_email_publish(pk: int) -> bool:
    """Hand one row to Celery. A broker that is down must not fail the user's request: the sweep retries."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    from .tasks import deliver_email

    try:
        deliver_email.delay(pk)
    except (KombuOperationalError, OSError):
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("The broker is unreachable; outbound e-mail %s waits for the sweep.", pk, exc_info=True)
        return False
    except Exception:  # whatever else goes wrong, the change was committed and the row is safe
        logger.exception("Could not hand outbound e-mail %s to Celery; the sweep will.", pk)
        return False
    return True


def outbox_sweep(*, older_than_seconds: int = 60, batch: int = 1000) -> int:
    """Re-queue rows that should have gone by now: pending well past their due time, or claimed by a worker
    whose lease ran out (it died). Returns how many were handed to the broker."""
    now = timezone.now()
    stale = timezone.timedelta(seconds=older_than_seconds)
    with transaction.atomic():
        due = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lt=now - stale)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch]
        )
        abandoned = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundEmail.Status.SENDING, lease_expires_at__lt=now)
            .order_by("lease_expires_at")
            .values_list("pk", flat=True)[:batch]
        )
        # Not re-queued again for another `older_than_seconds`, however long the broker takes.
        OutboundEmail.objects.filter(pk__in=due).update(next_attempt_at=now)
    global _broker_down_until
    _broker_down_until = 0.0  # the sweep always tries: it is how e-mails go out once the broker is back
    return sum(outbound_email_publish(pk) for pk in [*due, *abandoned])


# What a person's account deletion leaves of the e-mails addressed to them: nothing of what was sent or failed,
# and for what was still waiting, a cancelled row that names no address and holds no text.
UNSENT_STATUSES = (OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING, OutboundEmail.Status.HELD)


@transaction.atomic
def outbox_forget_recipient(*, user_id: int | None, addresses: Iterable[str]) -> dict[str, int]:
    """A person deleted their account: e-mails addressed to them (by account or by any of their addresses)
    that were sent, digested, failed or cancelled are deleted; those not sent yet are cancelled and lose
    their address, subject, bodies, attachments and error. Returns how many rows were deleted and cancelled.

    Keyed on a user id and addresses so that the accounts app calls it and this app imports no domain app.
    """
    addresses = [address for address in addresses if address]
    addressed = Q(pk__in=[])
    if user_id is not None:
        addressed |= Q(recipient_user_id=user_id)
    for address in addresses:
        addressed |= Q(recipient__iexact=address)
    rows = OutboundEmail.objects.filter(addressed)
    cancelled = rows.filter(status__in=UNSENT_STATUSES).update(
        status=OutboundEmail.Status.CANCELLED,
        recipient="",
        recipient_user=None,
        subject="",
        text="",
        html="",
        attachments=[],
        last_error="",
        lease_expires_at=None,
    )
    deleted, _per_model = rows.exclude(status__in=UNSENT_STATUSES).delete()
    return {"deleted": deleted, "cancelled": cancelled}


def outbox_prune(*, retention_days: int | None = None, batch: int = 1000) -> int:
    """Delete e-mails kept longer than OUTBOX_RETENTION_DAYS: sent ones counted from sending, digested,
    cancelled and failed ones from when they were queued (staff have the whole retention period to send a
    failed one again; sending again makes it pending, and so kept). Pending, held and sending rows are never
    pruned. Deletes in batches so a large backlog never holds long locks. Returns how many rows went."""
    days = settings.OUTBOX_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = timezone.now() - timezone.timedelta(days=days)
    expired = OutboundEmail.objects.filter(
        Q(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff)
        | Q(
            status__in=[
                OutboundEmail.Status.DIGESTED,
                OutboundEmail.Status.CANCELLED,
                OutboundEmail.Status.FAILED,
            ],
            created_at__lt=cutoff,
        )
    )
    pruned = 0
    while True:
        with transaction.atomic():
            ids = list(expired.order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                return pruned
            # Re-checked in the DELETE: a failed row that staff sent again meanwhile is pending, and stays.
            deleted, _per_model = expired.filter(pk__in=ids).delete()
            pruned += deleted


@transaction.atomic
def outbound_emails_resend(*, emails: QuerySet[OutboundEmail]) -> int:
    """Staff send failed e-mails again (after fixing an address or the mail server): a fresh set of attempts."""
    ids = list(emails.filter(status=OutboundEmail.Status.FAILED).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_expires_at=None
    )
    for pk in ids:
        transaction.on_commit(partial(outbound_email_publish, pk))
    return len(ids)


@dataclass
class DigestSection:
    cluster: object | None  # a clusters.Cluster
    emails: list[OutboundEmail]


def _digest_sections(held: Iterable[OutboundEmail]) -> list[DigestSection]:
    return [
        DigestSection(cluster=cluster, emails=list(emails))
        for cluster, emails in groupby(held, key=lambda email: email.cluster)
    ]


def digests_send() -> int:
    """Gather each leader's held e-mails into one digest e-mail. Returns how many digests were queued.

    Each recipient's digest is one transaction: the held rows are marked as digested in the one that
    writes the digest, so running this twice (or in two processes) never puts an event in two digests.
    """
    User = get_user_model()
    user_ids = set(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.HELD).values_list("recipient_user_id", flat=True)
    )
    queued = 0
    for user in User.objects.filter(pk__in=user_ids):
        with transaction.atomic():
            held = list(
                OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=OutboundEmail.Status.HELD, recipient_user=user)
                .select_related("cluster")
                .order_by("cluster__name", "cluster_id", "created_at", "pk")
            )
            if not held:
                continue
            digest = email_queue(
                recipient=user,
                template="leader_digest",
                context={"sections": _digest_sections(held), "count": len(held)},
                dedup_key=f"leader-digest:user-{user.pk}:{max(email.pk for email in held)}",
            )
            if digest is None:
                OutboundEmail.objects.filter(pk__in=[email.pk for email in held]).update(
                    status=OutboundEmail.Status.CANCELLED
                )
                continue
            OutboundEmail.objects.filter(pk__in=[email.pk for email in held]).update(
                status=OutboundEmail.Status.DIGESTED, digest=digest
            )
            queued += 1
    return queued
