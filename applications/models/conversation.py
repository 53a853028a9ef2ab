"""The conversation on a submission (a project application or a solution) between the applicant organisation and its
reviewers (the secretariat and the leaders of its clusters), and the reviewers' internal notes, which applicants
never see. Each message may carry one file, checked and stored as every upload is."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits

from .about_submission import AboutSubmission, about_one_submission, submission_keys
from .documents import PrivateDocument

BODY_MAX_LENGTH = 5000


class MessageQuerySet(models.QuerySet):
    def about(self, submission):
        """The messages of a submission's conversation, an application's or a solution's."""
        return self.filter(**{submission.submission_name: submission})


class Message(AboutSubmission, ChoiceLabelsMixin, models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        SECRETARIAT = "secretariat", _("WeGO secretariat")
        LEADER = "leader", _("Cluster leader")

    # One of the two: the submission the message is about.
    application, solution = submission_keys("messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who wrote it, as the applicant is told (a reviewer's name is for the reviewers).
    side = models.CharField(_("from"), max_length=20, choices=Side.choices)
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("For the reviewers only: the applicant never sees it.")
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            about_one_submission("message_about_one_submission"),
            models.CheckConstraint(condition=~Q(internal=True, side="applicant"), name="message_internal_by_reviewers"),
            texts_within_limits(body=BODY_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class MessageAttachment(PrivateDocument):
    UPLOAD_FOLDER = "messages"

    message = models.OneToOneField(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachment"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        message = self.message
        namespace = "applications" if message.application_id else "solutions"
        return reverse(
            f"{namespace}:message_attachment", args=[message.application_id or message.solution_id, message.pk]
        )
