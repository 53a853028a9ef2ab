"""The one way the portal sends e-mail: rows in an outbox, delivered by Celery after commit.

Callers describe an e-mail (recipient, template, context, a de-duplication key); `email_queue` renders it
in the recipient's language and writes an `OutboundEmail` row inside the caller's transaction. Only when
that transaction commits is the row's id handed to Celery, so a rolled back change never e-mails anybody
and a committed one always has its e-mail on record. Delivery itself is in notifications/tasks.py.
"""

import base64
import datetime as dt
import logging
import re
import time
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import formataddr, make_msgid
from functools import partial
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Min, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import OutboundEmail
from .plain_text import html_to_text
from .unsubscribe import unsubscribe_url

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


def email_render(*, template: str, context: Mapping, language: str, time_zone: str | None = None) -> RenderedEmail:
    """Render templates/notifications/email/<template>.{subject.txt,html} in `language`, with dates and times in
    `time_zone` (the recipient's; the portal's TIME_ZONE without one). The text alternative is made from the HTML
    (notifications/plain_text.py), so both say the same."""
    base = f"notifications/email/{template}"
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language), timezone.override(time_zone or settings.TIME_ZONE):
        subject = render_to_string(f"{base}.subject.txt", context)
        html = render_to_string(f"{base}.html", context)
    return RenderedEmail(subject=subject, text=html_to_text(html), html=html)


def email_render_plain(*, subject: str, text: str, language: str) -> RenderedEmail:
    """For e-mails written as plain text elsewhere (django-allauth's): the portal's HTML layout around the text,
    saying why it was sent, and the text alternative made from that HTML, like every other e-mail."""
    with translation.override(language):
        html = render_to_string("notifications/email/plain_text.html", {"SITE_URL": settings.SITE_URL, "text": text})
    return RenderedEmail(subject=subject, text=html_to_text(html), html=html)


def _encode_attachments(attachments: Sequence[tuple[str, bytes | str, str]]) -> list[dict[str, str]]:
    encoded = []
    for filename, content, mimetype in attachments:
        raw = content.encode() if isinstance(content, str) else content
        encoded.append({"filename": filename, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")})
    return encoded


def _one_line(text: str) -> str:
    """A value bound for a header, on one line whatever it holds: no CR or LF can start a header of its own."""
    return " ".join(str(text).split())


def _reply_to(reply_to) -> str:
    """The Reply-To header's value for a person (anything with .email and .full_name), an address, or a
    (name, address) pair; "" when there is no valid address."""
    if not reply_to:
        return ""
    if isinstance(reply_to, str):
        name, address = "", reply_to
    elif isinstance(reply_to, tuple):
        name, address = reply_to
    else:
        name, address = getattr(reply_to, "full_name", ""), getattr(reply_to, "email", "")
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return formataddr((_one_line(name or ""), address))


def message_id_domain() -> str:
    return settings.EMAIL_MESSAGE_ID_DOMAIN


def thread_root_message_id(thread: str) -> str:
    """The Message-ID every e-mail of a thread replies to. Derived from the thread key alone, so e-mails written
    months apart (a submission, its decision) point at the same root and land in one conversation."""
    key = re.sub(r"[^A-Za-z0-9.-]+", "-", thread).strip("-.") or "thread"
    return f"<thread.{key}@{message_id_domain()}>"


def email_queue(
    *,
    user=None,
    address: str | None = None,
    template: str,
    context: Mapping,
    dedup_key: str,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    thread: str = "",
    reply_to=None,
    topic: str = "",
    hold_for_digest: bool = False,
    unsubscribe: str = "",
) -> OutboundEmail | None:
    """Send `template` to `user` (a person) or `address` (a plain address, such as the secretariat's) after commit.

    `dedup_key` names the event and the recipient (for example "organisation-join-decided:42"); a second call with
    the same key writes nothing and sends nothing. `attachments` are (filename, content, mimetype) triples, such as
    an event's .ics file. `thread` ("application-42") puts every e-mail about one thing in one conversation;
    `reply_to` is who a reply reaches (a person, an address, or a (name, address) pair; the secretariat by default).
    `topic` says what the e-mail is about in a few words (a cluster's name): a daily digest groups by it.
    `hold_for_digest`: the caller, who knows the recipient's preference, keeps the e-mail for their daily digest.
    `unsubscribe` names what the recipient can turn off from the e-mail ("cluster:5"); such e-mails carry
    List-Unsubscribe and a link in their footer. Returns the outbox row, or None when nothing is queued
    (duplicate, inactive recipient, bad address).
    """
    if (user is None) == (address is None):
        raise TypeError("email_queue needs a user or an address, not both.")
    language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    time_zone = getattr(user, "time_zone", None) or settings.TIME_ZONE
    scopes = unsubscribe.split() if user is not None else []
    unsubscribe_link = (
        unsubscribe_url(user_id=user.pk, scopes=scopes, language=language) if scopes and not hold_for_digest else ""
    )
    recipient = user if user is not None else address
    full_context = {"recipient": recipient, "topic": topic, "unsubscribe_url": unsubscribe_link, **context}
    return email_queue_rendered(
        address=user.email if user is not None else address,
        user=user,
        language=language,
        template=template,
        render=lambda: email_render(template=template, context=full_context, language=language, time_zone=time_zone),
        dedup_key=dedup_key,
        attachments=attachments,
        thread=thread,
        reply_to=reply_to,
        topic=topic,
        hold_for_digest=hold_for_digest,
        unsubscribe=" ".join(scopes),
        unsubscribe_link=unsubscribe_link,
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
    thread: str = "",
    reply_to=None,
    topic: str = "",
    hold_for_digest: bool = False,
    unsubscribe: str = "",
    unsubscribe_link: str = "",
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
    if reply_to is None and address.lower() != settings.SECRETARIAT_EMAIL.lower():
        reply_to = settings.SECRETARIAT_EMAIL
    try:
        # A savepoint: a concurrent transaction that queued the same key first wins, and the caller's
        # transaction carries on without a second row.
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                recipient=address,
                recipient_user=user,
                language=language,
                template=template,
                subject=_one_line(rendered.subject),
                text=rendered.text,
                html=rendered.html,
                attachments=_encode_attachments(attachments),
                dedup_key=dedup_key,
                topic=_one_line(topic)[:200],
                message_id=make_msgid(idstring="outbox", domain=message_id_domain()),
                thread=thread[:100],
                reply_to=_reply_to(reply_to),
                unsubscribe=unsubscribe,
                unsubscribe_url=unsubscribe_link,
                status=OutboundEmail.Status.HELD if hold_for_digest else OutboundEmail.Status.PENDING,
            )
    except IntegrityError:
        return None
    if not hold_for_digest:
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
        reply_to="",
        unsubscribe_url="",
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
    topic: str  # what its e-mails are about, such as a cluster's name; "" for the rest
    emails: list[OutboundEmail]


# A digest quotes this many of its e-mails in full and lists the rest by subject, so that a leader's digest after a
# busy week stays well under EMAIL_MAX_BYTES; the leader page shows everything.
DIGEST_ITEMS_IN_FULL = 50


def _digest_sections(held: list[OutboundEmail]) -> list[DigestSection]:
    for number, email in enumerate(held):
        # What the e-mail said, without its own footer: the digest says once why it was sent.
        full = number < DIGEST_ITEMS_IN_FULL
        email.digest_text = (html_to_text(email.html, footer=False) if email.html else email.text) if full else ""
    return [DigestSection(topic=topic, emails=list(emails)) for topic, emails in groupby(held, key=lambda e: e.topic)]


def _digest_due(user, oldest) -> dt.datetime:
    """When the digest of e-mails held since `oldest` is due: the first time the recipient's digest hour comes after
    it, in their time zone (`time_zone`, `digest_hour` of the user; the settings' when they have none)."""
    zone = zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    hour = getattr(user, "digest_hour", None)
    hour = settings.DIGEST_HOUR if hour is None else hour
    held_at = oldest.astimezone(zone)
    due = dt.datetime.combine(held_at.date(), dt.time(hour), tzinfo=zone)
    if due <= held_at:
        due = dt.datetime.combine(held_at.date() + dt.timedelta(days=1), dt.time(hour), tzinfo=zone)
    return due


def digests_send(*, now=None) -> int:
    """Gather each leader's held e-mails into one digest e-mail once their digest hour has come, in their time
    zone, after the oldest of them arrived. Returns how many digests were queued. Runs every hour.

    One digest a recipient a local day: its de-duplication key names the day it was due, so running this twice (or
    in two processes) sends none again. Each digest is one transaction: the held rows are marked as digested in the
    one that writes it, so an event is never in two digests. An hour the scheduler missed is made up by its next run.
    """
    now = now or timezone.now()
    User = get_user_model()
    oldest = dict(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.HELD)
        .values("recipient_user_id")
        .annotate(oldest=Min("created_at"))
        .values_list("recipient_user_id", "oldest")
    )
    queued = 0
    for user in User.objects.filter(pk__in=oldest):
        due = _digest_due(user, oldest[user.pk])
        dedup_key = f"leader-digest:user-{user.pk}:{due.date().isoformat()}"
        if OutboundEmail.objects.filter(dedup_key=dedup_key).exists():
            # That day's digest went out before this e-mail was held (it arrived while the digest was written).
            due = _digest_due(user, due)
            dedup_key = f"leader-digest:user-{user.pk}:{due.date().isoformat()}"
        if due > now:
            continue
        with transaction.atomic():
            held = list(
                OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=OutboundEmail.Status.HELD, recipient_user=user)
                .order_by("topic", "created_at", "pk")
            )
            if not held:
                continue
            # Turning the digest off turns off what it gathered, as each of its e-mails would have.
            scopes = sorted({scope for email in held for scope in email.unsubscribe.split()})
            digest = email_queue(
                user=user,
                template="leader_digest",
                context={
                    "sections": _digest_sections(held),
                    "count": len(held),
                    "shortened": len(held) > DIGEST_ITEMS_IN_FULL,
                    "in_full": DIGEST_ITEMS_IN_FULL,
                },
                dedup_key=dedup_key,
                unsubscribe=" ".join(scopes),
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
