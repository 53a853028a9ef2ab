"""The e-mail outbox and the leaders' choice between an e-mail per event and a daily digest.

An e-mail is first a row here, written in the transaction of the change that causes it; Celery delivers
it after commit (notifications/tasks.py). The row's status is the only truth about whether it was sent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits

# What the mail server said last time, cut to this length (notifications/tasks.py).
LAST_ERROR_MAX_LENGTH = 2000


class OutboundEmail(ChoiceLabelsMixin, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held for the daily digest")
        DIGESTED = "digested", _("Sent in a daily digest")
        CANCELLED = "cancelled", _("Not sent: recipient deactivated")

    recipient = models.CharField(_("recipient address"), max_length=254, db_index=True)
    # A person deleting their account: outbox_forget_recipient() deletes what was sent to them and cancels and
    # empties what was not; the cascade is the backstop for a user deleted any other way.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    template = models.CharField(_("template"), max_length=100, db_index=True)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text body"))
    html = models.TextField(_("HTML body"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content": <base64>}], such as an event's .ics file.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    dedup_key = models.CharField(
        _("de-duplication key"),
        max_length=255,
        unique=True,
        help_text=_("Names the event and the recipient; one event never e-mails the same person twice."),
    )
    # What the e-mail is about, such as a cluster's name: a daily digest groups its items by it.
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # Fixed when the row is written, so that sending it again (a retry, staff's "send again") repeats it exactly.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # The e-mails sharing a thread key (such as "application-42") reply to one root Message-ID: mail clients show
    # everything about one submission or one request as one conversation.
    thread = models.CharField(_("thread"), max_length=100, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=998, blank=True)
    # What a recipient may turn off from the e-mail itself (such as "cluster:5", opaque here: the app that owns the
    # preference reads it), and the signed address that does it (List-Unsubscribe). Blank: cannot be turned off.
    unsubscribe = models.CharField(_("can be turned off"), max_length=255, blank=True)
    unsubscribe_url = models.CharField(_("unsubscribe address"), max_length=2000, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digested_emails",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), max_length=LAST_ERROR_MAX_LENGTH, blank=True)
    # When the next delivery attempt is due; the sweep re-queues pending rows well past it.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker that claimed the row owns it until then; after that the sweep may hand it to another.
    lease_expires_at = models.DateTimeField(_("claimed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-pk"]
        # The bodies are not limited: they are rendered from templates that quote at most an excerpt of what
        # people typed (notifications/excerpts.py), and a leader's daily digest grows with the items it gathers.
        constraints = [texts_within_limits(last_error=LAST_ERROR_MAX_LENGTH)]
        indexes = [
            # The sweep's and the digest's lookups; the other statuses are history and never scanned.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["lease_expires_at"],
                name="outbox_sending_lease",
                condition=models.Q(status="sending"),
            ),
            models.Index(fields=["recipient_user"], name="outbox_held", condition=models.Q(status="held")),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
