"""The review workflow shared by city project applications and company solution registrations.

    draft → submitted → under_review → accepted | changes_requested | declined
    changes_requested → submitted (resubmit)
    the applicant may withdraw anything not yet decided

Every change of status goes through `submission_transition`: it locks the row, checks that the move is
allowed from the current status and that the person may make it, runs the submission's own completeness
check on submit, writes an audit row and queues the e-mails, all in one database transaction. Admin
actions, leader pages and applicant pages call it; nothing else writes `status`.

A concrete submission model inherits `ReviewedSubmission` and provides:
- `history`: the related manager of its audit rows (a subclass of `AuditEntry`);
- `is_applicant(user)`: the person acts for the submitting organisation;
- `submission_problems()`: messages for whatever stops it from being submitted (empty when complete).
The e-mails of a transition are notifications.py's `submission_transition_emails`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.rules import staff_holding
from core.choices import ChoiceLabelsMixin
from core.text_limits import LengthLimitValidator, texts_within_limits


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    RESUBMIT = "resubmit", _("Resubmit")
    WITHDRAW = "withdraw", _("Withdraw")
    START_REVIEW = "start_review", _("Start review")
    ACCEPT = "accept", _("Accept")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    DECLINE = "decline", _("Decline")


APPLICANT = "applicant"
# A note with a transition (to the applicant, or the secretariat's own): TransitionForm and admin ask for it.
NOTE_MAX_LENGTH = 3000
STAFF = "staff"

OPEN_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED})
DECIDED_STATUSES = frozenset({Status.ACCEPTED, Status.DECLINED})
# What the applicant may edit: their own draft, and an application sent back to them.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
# Submitted to the secretariat at least once: visible to the target cluster's leaders.
SENT_STATUSES = frozenset(
    {Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED, Status.ACCEPTED, Status.DECLINED}
)
# What the secretariat may decide on.
DECIDABLE_STATUSES = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})
# Sent, not decided: while its organisation is not verified, a submission in these waits for the secretariat
# to verify it (the status stays what it is; the leaders' pages and e-mails leave it out until then).
HELD_STATUSES = SENT_STATUSES - DECIDED_STATUSES


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    by: str  # APPLICANT or STAFF
    note_required: bool = False

    @property
    def label(self) -> str:
        return Action(self.action).label


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, APPLICANT),
        Transition(Action.RESUBMIT, frozenset({Status.CHANGES_REQUESTED}), Status.SUBMITTED, APPLICANT),
        Transition(Action.WITHDRAW, OPEN_STATUSES, Status.WITHDRAWN, APPLICANT),
        Transition(Action.START_REVIEW, frozenset({Status.SUBMITTED}), Status.UNDER_REVIEW, STAFF),
        # A decision takes one step from a submission (under review is passed on the way, in one audit row) as
        # well as from a review started explicitly to tell the applicant: one e-mail to the applicant either way.
        Transition(Action.ACCEPT, DECIDABLE_STATUSES, Status.ACCEPTED, STAFF),
        Transition(Action.REQUEST_CHANGES, DECIDABLE_STATUSES, Status.CHANGES_REQUESTED, STAFF, True),
        Transition(Action.DECLINE, DECIDABLE_STATUSES, Status.DECLINED, STAFF, True),
    )
}
STAFF_ACTIONS = [a for a, t in TRANSITIONS.items() if t.by == STAFF]


def allowed_actions(submission, user) -> list[Transition]:
    """The transitions `user` may make on `submission` now, in the order buttons are shown."""
    return [t for t in TRANSITIONS.values() if submission.status in t.sources and _may(user, submission, t)]


def _may(user, submission, transition: Transition) -> bool:
    if not user or not user.is_authenticated:
        return False
    if transition.by == STAFF:
        return staff_may_decide(user, submission)
    return submission.is_applicant(user)


def staff_may_decide(user, submission) -> bool:
    """Staff moves (start review, accept, request changes, decline) need the second factor and the change
    permission on the submission's model, as the back office's actions do."""
    opts = submission._meta
    return staff_holding(f"{opts.app_label}.change_{opts.model_name}")(user)


class ReviewedSubmission(ChoiceLabelsMixin, models.Model):
    """Fields and behaviour every reviewed submission shares."""

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The call it answers, if any: submitting is refused once the call has closed for the organisation.
    call = models.ForeignKey(
        "applications.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    # What the reviewers' scores come to (services.review_figures_update keeps them; staff sort by them, applicants
    # never see them): the mean of each reviewer's weighted mean, the gap between the highest and the lowest, and
    # how many reviewers have scored.
    review_score = models.FloatField(_("review score"), null=True, blank=True, editable=False)
    review_spread = models.FloatField(_("reviewers' spread"), null=True, blank=True, editable=False)
    review_count = models.PositiveSmallIntegerField(_("reviewers who scored"), default=0, editable=False)

    # What templates, e-mail contexts, de-duplication keys and the foreign keys of a submission's messages and
    # reviewers call it: "application" or "solution" (each concrete model says).
    submission_name: str

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def was_sent(self) -> bool:
        return self.status in SENT_STATUSES

    @property
    def reached_leaders(self) -> bool:
        """Sent, by an organisation the secretariat has verified: the target clusters' leaders see it."""
        return self.was_sent and self.organisation.is_verified

    @property
    def waits_for_verification(self) -> bool:
        """Sent, not decided, and held from the leaders until the secretariat verifies the organisation."""
        return self.status in HELD_STATUSES and not self.organisation.is_verified

    def transition_emails(self, transition, *, by, note, entry) -> None:
        from .notifications import submission_transition_emails

        submission_transition_emails(self, transition, by=by, note=note, entry=entry)

    def next_step(self) -> str:
        """One sentence for the applicant's dashboard: what happens next, and who does it."""
        return {
            Status.DRAFT: _("Complete every section, then submit."),
            Status.SUBMITTED: _("Waiting for the secretariat to start the review."),
            Status.UNDER_REVIEW: _("The secretariat is reviewing it."),
            Status.CHANGES_REQUESTED: _("Make the changes the secretariat asked for, then resubmit."),
            Status.ACCEPTED: _("Accepted. Nothing more to do."),
            Status.DECLINED: _("Declined. See the secretariat's note."),
            Status.WITHDRAWN: _("Withdrawn. Nothing more to do."),
        }[self.status]


class AuditEntry(ChoiceLabelsMixin, models.Model):
    """One transition of a submission: who, from, to, note, when. Never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
        constraints = [texts_within_limits(note=NOTE_MAX_LENGTH)]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# Written by `submission_transition` alone: every other save of a submission leaves them as they are.
WORKFLOW_FIELDS = ("status", "submitted_at", "decided_at")


def submission_locked(submission):
    """The submission's row, locked until the end of the caller's transaction: every write of a submission reads
    the status it checks from this row, so a withdrawal or a submission racing it waits, and is seen."""
    return type(submission).objects.select_for_update().get(pk=submission.pk)


def submission_save_form(form, *, locked):
    """Save the applicant's ModelForm of a submission, writing only the columns the form edits (never the status
    or its dates), after the caller checked `locked`, the row it locked. Returns the saved instance, with the
    workflow fields of the locked row."""
    instance = form.save(commit=False)
    columns = {field.name for field in instance._meta.concrete_fields}
    edited = [name for name in form.fields if name in columns and name not in WORKFLOW_FIELDS]
    instance.save(update_fields=[*edited, "updated_at"])
    form.save_m2m()
    for name in WORKFLOW_FIELDS:
        setattr(instance, name, getattr(locked, name))
    return instance


class TransitionRefused(ValidationError):
    """The move is not possible from the submission's current status (shown to the person as is)."""


class CallClosed(TransitionRefused):
    """A first submission for a call that is not open for the organisation (closed, or not open yet)."""


def submission_transition(submission, action: str, *, by, note: str = ""):
    """Move `submission` by `action`, as `by`, with `note` for the applicant. Returns the fresh row.

    Raises PermissionDenied when `by` may not make this move at all, TransitionRefused when the move is
    not possible from the current status, ValidationError when the submission is incomplete or a note
    is missing.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_("“%(action)s” is not something that can be done here."), params={"action": action})
    note = (note or "").strip()
    LengthLimitValidator(NOTE_MAX_LENGTH)(note)
    with transaction.atomic():
        locked = submission_locked(submission)
        if not _may(by, locked, transition):
            raise PermissionDenied(_("You may not %(action)s this.") % {"action": transition.label.lower()})
        if locked.status not in transition.sources:
            raise TransitionRefused(
                _("This cannot be done now: it is “%(status)s”, and “%(action)s” is possible only before a decision.")
                if locked.status in DECIDED_STATUSES or locked.status == Status.WITHDRAWN
                else _("This cannot be done now: it is “%(status)s”."),
                params={"status": locked.get_status_display(), "action": transition.label},
            )
        if transition.note_required and not note:
            raise ValidationError(_("Write a note that tells the applicant why and what to change."))
        now = timezone.now()
        if transition.action == Action.SUBMIT and locked.call_id:
            # A resubmission answers the secretariat's request for changes: the call's close does not stop it.
            refusal = locked.call.submission_refusal(locked.organisation_id, now)
            if refusal:
                raise CallClosed(refusal)
        if transition.target == Status.SUBMITTED:
            problems = locked.submission_problems()
            if problems:
                raise ValidationError(problems)
        from_status = locked.status
        locked.status = transition.target
        if transition.target == Status.SUBMITTED:
            locked.submitted_at = now
        if transition.target in DECIDED_STATUSES:
            locked.decided_at = now
        locked.save(update_fields=["status", "submitted_at", "decided_at", "updated_at"])
        entry = locked.history.create(
            actor=by, action=transition.action, from_status=from_status, to_status=transition.target, note=note, at=now
        )
        locked.transition_emails(transition, by=by, note=note, entry=entry)
    return locked
