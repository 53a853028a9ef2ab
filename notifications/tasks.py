"""Celery tasks that deliver the outbox, and the periodic sweep and digest.

How one row is delivered (`deliver_email`):

1. Claim. In one short transaction the row is locked with SELECT ... FOR UPDATE SKIP LOCKED, and only if
   it is `pending`, or `sending` with an expired lease; it becomes `sending`, its attempt count goes up
   and it gets a lease (OUTBOX_LEASE_SECONDS). The claim commits before anything is sent.
2. Send, outside any transaction, through Django's e-mail backend.
3. Mark `sent`, with an UPDATE that only matches while the row is still `sending` under *this* attempt
   number, so a worker that lost its lease cannot overwrite the outcome of the one that took over.

Two tasks for the same row (the sweep re-queued it, the broker redelivered it) cannot both pass step 1:
the second finds the row locked (and skips it) or no longer pending. So racing workers never send a row
twice, and a duplicate task costs one UPDATE that matches nothing.

What happens when things die:
- Broker down when the caller's transaction commits: the row stays `pending`; the sweep (every minute,
  Celery beat) re-queues pending rows more than a minute past their due time.
- Worker killed before its claim commits: the claim rolls back, the row is still `pending`; the task is
  acknowledged late, so the broker redelivers it, and the sweep re-queues the row anyway.
- Worker killed after its claim and before step 3 commits: the row stays `sending` until its lease runs
  out, then the sweep hands it to another worker. If the first one died *before* the mail server accepted
  the message, this is exactly-once. If it died in the narrow window *after* the mail server accepted it
  and before the UPDATE committed, the e-mail goes twice. That is the honest trade-off: re-claiming an
  expired lease makes delivery at-least-once in that window (a few milliseconds per message), whereas
  never re-claiming would make it at-most-once and silently lose every e-mail whose worker died at any
  point after claiming. We prefer a rare duplicate to a lost decision; each message carries a Message-ID
  fixed per row, so mail systems and clients can recognise the repeat.

A backlog longer than a minute is re-queued by the sweep too; the extra tasks find their rows taken or
sent and do nothing, which is the price of never trusting the broker alone.

What the mail server answers decides what happens next (`delivery_error_is_permanent`):
- a 4xx answer (greylisting, a full mailbox, "try again later"), a dropped connection, a refused or timed out
  connection, and 5xx answers about the session itself (authentication, TLS: a setting to fix, after which the
  row should still go) put the row back to `pending` with an exponential back-off (OUTBOX_RETRY_BASE_SECONDS
  doubling, capped at an hour) and the task retries itself at that time;
- a 5xx answer to the recipient (RCPT TO), the sender (MAIL FROM) or the message (after DATA) will not change by
  retrying: the row is `failed` at once, with the server's code and words in `last_error`.
Each row is one message to one recipient in a task of its own, so a recipient the server refuses never holds up
the others. The back-off is computed here rather than by Celery's autoretry_for because the row must record when
its next attempt is due (`next_attempt_at`), or the sweep would re-queue it early and undo the back-off. After
OUTBOX_MAX_ATTEMPTS the row is `failed`, visible to staff in the admin with a "send again" action. Any other
error (a message over EMAIL_MAX_BYTES, one that cannot be built) will not get better by retrying: the row fails
at once. So does any error when tasks run in-process (no broker configured): a retry there would hold up the
user's request.
"""

import base64
import logging
import smtplib
import time
from datetime import timedelta
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import services
from .models import LAST_ERROR_MAX_LENGTH, OutboundEmail

logger = logging.getLogger(__name__)

RETRY_MAX_SECONDS = 60 * 60
# Workers' clocks differ a little; a retry arriving this early still counts as on time.
CLOCK_SLACK = timedelta(seconds=5)


def outbound_email_claim(pk: int) -> OutboundEmail | None:
    """Step 1: take the row for this worker, or return None if it is not ours to send."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient_user")
            .filter(
                # A pending row whose back-off has not run out waits for its own retry (or the sweep).
                Q(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now + CLOCK_SLACK)
                | Q(status=OutboundEmail.Status.SENDING, lease_expires_at__lt=now),
                pk=pk,
            )
            .first()
        )
        if email is None:
            return None
        if email.recipient_user is not None and not email.recipient_user.is_active:
            email.status, email.lease_expires_at = OutboundEmail.Status.CANCELLED, None
            email.save(update_fields=["status", "lease_expires_at"])
            return None
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        email.lease_expires_at = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        email.save(update_fields=["status", "attempts", "lease_expires_at"])
    return email


def _ours(email: OutboundEmail):
    """The row, as long as this worker's claim on it still stands."""
    return OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING, attempts=email.attempts)


def _legacy_message_id(email: OutboundEmail) -> str:
    """Rows written before Message-IDs were stored get the one they were always sent with."""
    return f"<outbox-{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{services.message_id_domain()}>"


def _attachment(attachment: dict) -> MIMEBase:
    """One attachment with its full type: "text/calendar; method=PUBLISH" keeps its method parameter (calendar
    programs read it to offer "add to calendar"), text parts say their charset, all are named attachments."""
    content = base64.b64decode(attachment["content"])
    mimetype, *parameters = [part.strip() for part in attachment["mimetype"].split(";")]
    maintype, _slash, subtype = mimetype.partition("/")
    if maintype == "text":
        part = MIMEText(content.decode("utf-8"), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for parameter in parameters:
        name, _equals, value = parameter.partition("=")
        part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def outbound_email_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message as mail clients expect it: text and HTML alternatives, the row's own Message-ID (the same on
    every attempt), the thread it belongs to, who a reply reaches, that a machine wrote it, and how to turn such
    e-mails off where the recipient can. Every header value comes from a one-line field (services._one_line)."""
    headers = {
        "Message-ID": email.message_id or _legacy_message_id(email),
        "X-WeGO-Key": email.dedup_key,
        # RFC 3834: automatic replies (out of office) must not answer; Exchange reads its own header for that.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if email.thread:
        root = services.thread_root_message_id(email.thread)
        headers["In-Reply-To"] = root
        headers["References"] = root
    if email.unsubscribe_url:
        # RFC 2369 and RFC 8058: providers show an "unsubscribe" button that POSTs to the address at once.
        headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # The envelope (message.to) stays the bare address; the header names the person (Django prefers an extra "To").
    headers["To"] = _addressee(email)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(_attachment(attachment))
    return message


def _addressee(email: OutboundEmail) -> str:
    """The To header names the person ("Ji-won Park" <jiwon@example.org>) when the e-mail is to a user with a name;
    on one line (services._one_line); Django encodes a non-ASCII name (RFC 2047), so only quotes need escaping."""
    user = email.recipient_user
    name = services._one_line(user.full_name or "") if user is not None else ""
    if not name:
        return email.recipient
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email.recipient}>'


class TooLarge(Exception):
    """The e-mail is larger than EMAIL_MAX_BYTES: no mail server is asked to take it."""


def _within_size_limit(message: EmailMultiAlternatives) -> None:
    size = len(message.message().as_bytes(linesep="\r\n"))
    if size > settings.EMAIL_MAX_BYTES:
        raise TooLarge(f"The e-mail is {size} bytes, more than EMAIL_MAX_BYTES ({settings.EMAIL_MAX_BYTES}).")


def _server_words(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def delivery_error_is_permanent(error: Exception) -> bool:
    """Whether the mail server's answer says that this message to this recipient will never go (a 5xx answer to
    the recipient, the sender or the message): then the row fails at once. A 4xx answer, a dropped connection, a
    refused or timed out connection, and 5xx answers about the session itself (authentication, TLS: ours to fix,
    after which the row should still go) are retried with back-off."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code <= 599 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= error.smtp_code <= 599
    return False


def describe_delivery_error(error: Exception) -> str:
    """What staff read in the row's last error: the server's own code and words, and what kind of failure."""
    kind = type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        words = "; ".join(f"{address}: {_server_words(*answer)}" for address, answer in error.recipients.items())
        return f"The mail server refused the recipient ({kind}): {words}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        words = _server_words(error.smtp_code, error.smtp_error)
        return f"The mail server refused the sender {error.sender} ({kind}): {words}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered ({kind}): {_server_words(error.smtp_code, error.smtp_error)}"
    return f"{kind}: {error}"


def _failed(email: OutboundEmail, error: Exception, *, permanent: bool) -> int | None:
    """Record a failed attempt; return the seconds until the next one, or None when we give up."""
    text = describe_delivery_error(error)[:LAST_ERROR_MAX_LENGTH]
    if permanent or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _ours(email).update(status=OutboundEmail.Status.FAILED, last_error=text, lease_expires_at=None)
        return None
    countdown = min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (email.attempts - 1), RETRY_MAX_SECONDS)
    released = _ours(email).update(
        status=OutboundEmail.Status.PENDING,
        last_error=text,
        lease_expires_at=None,
        next_attempt_at=timezone.now() + timedelta(seconds=countdown),
    )
    return countdown if released else None


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_email(self, outbound_email_id: int) -> str:
    email = outbound_email_claim(outbound_email_id)
    if email is None:
        return "skipped"
    try:
        message = outbound_email_message(email)
        _within_size_limit(message)
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Outbound e-mail %s, attempt %s: %s", email.pk, email.attempts, error)
        # In-process (no broker) nothing could run the retry later without holding up the user's request.
        permanent = delivery_error_is_permanent(error) or self.request.is_eager
        countdown = _failed(email, error, permanent=permanent)
        if countdown is None:
            return "failed"
        raise self.retry(exc=error, countdown=countdown) from error
    except Exception as error:
        logger.exception("Outbound e-mail %s cannot be sent", email.pk)
        _failed(email, error, permanent=True)
        return "failed"
    _mark_sent(email)
    return "sent"


def _mark_sent(email: OutboundEmail, *, patience: float = 15.0) -> None:
    """Step 3, tried again for a few seconds if the database is away (PostgreSQL restarting): the mail server has
    the message, and a row left `sending` would be sent a second time once its lease runs out."""
    deadline = time.monotonic() + patience
    while True:
        try:
            _ours(email).update(status=OutboundEmail.Status.SENT, sent_at=timezone.now(), lease_expires_at=None)
            return
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            logger.warning("Outbound e-mail %s was sent; waiting for the database to mark it so.", email.pk)
            connection.close()
            time.sleep(0.5)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Beat, every minute: re-queue what the broker lost or a dead worker left behind."""
    return services.outbox_sweep()


@shared_task(ignore_result=True)
def prune_outbox() -> int:
    """Beat, daily: delete e-mails older than OUTBOX_RETENTION_DAYS (what they said, and to whom, is personal
    data kept no longer than staff need it to answer "was I told?")."""
    return services.outbox_prune()


@shared_task(ignore_result=True)
def send_digests() -> int:
    """Beat, every hour: one e-mail per leader whose digest hour has come, in their time zone, with everything
    held for their digest."""
    return services.digests_send()
