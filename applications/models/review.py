"""Scores: a call's criteria, the reviewers staff assign to a submission made for it (a project application or a
solution), and each reviewer's score of each criterion (1-5, with a comment). Applicants never see any of it; staff
see the weighted mean and the spread, which `services.review_figures_update` keeps on the submission so that the
back office sorts by them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text_limits import texts_within_limits

from .about_submission import AboutSubmission, about_one_submission, submission_keys
from .calls import Call

COMMENT_MAX_LENGTH = 3000
LOWEST_SCORE = 1
HIGHEST_SCORE = 5

# The GCTC's emphasis, as a call's starting criteria (name, what reviewers judge, weight): staff change them.
STARTING_CRITERIA = (
    (
        _("Impact and measurable benefits"),
        _("Does the project solve a real city problem, with KPIs that show the benefit?"),
        3,
    ),
    (
        _("Replicability and scalability"),
        _("Could other cities follow it, and does it grow beyond a pilot?"),
        2,
    ),
    (
        _("Interoperability and standards"),
        _("Does it use open standards and interfaces, so parts can be replaced and combined?"),
        2,
    ),
    (
        _("Cybersecurity and privacy"),
        _("Are the systems protected, and is personal data kept to what is needed?"),
        2,
    ),
    (
        _("Partnership"),
        _("Does it bring cities, companies, nonprofits, academia or investors together?"),
        1,
    ),
)
# The same emphasis, asked of what a company, a nonprofit or a university offers cities.
SOLUTION_STARTING_CRITERIA = (
    (
        _("Impact and measurable benefits"),
        _("Does the solution solve a real city problem, with benefits measured where it is deployed?"),
        3,
    ),
    (
        _("Replicability and scalability"),
        _("Could many cities adopt it, and does it grow beyond a pilot?"),
        2,
    ),
    (
        _("Interoperability and standards"),
        _("Does it use open standards and interfaces, so cities are not locked in?"),
        2,
    ),
    (
        _("Cybersecurity and privacy"),
        _("Is it protected, and does it keep personal data to what is needed?"),
        2,
    ),
    (
        _("Partnership"),
        _("Does the provider work with cities, companies, nonprofits or academia?"),
        1,
    ),
)


class Criterion(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.CharField(_("what reviewers judge"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)], help_text=_("From 1 to 10.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=10), name="criterion_weight_range")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewAssignment(AboutSubmission, models.Model):
    """Staff ask a reviewer (staff, or a leader of the submission's cluster) to score an application or a solution."""

    # One of the two: the submission to score.
    application, solution = submission_keys("review_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    # Set when the reviewer has scored every criterion (the reminders and "My reviews" read it).
    completed_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["assigned_at", "pk"]
        constraints = [
            about_one_submission("review_assignment_one_submission"),
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_assignment_once"),
            models.UniqueConstraint(fields=["solution", "reviewer"], name="review_assignment_solution_once"),
        ]
        indexes = [models.Index(fields=["reviewer", "completed_at"], name="review_reviewer_open")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(LOWEST_SCORE), MaxValueValidator(HIGHEST_SCORE)]
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__gte=LOWEST_SCORE, value__lte=HIGHEST_SCORE), name="score_value_range"
            ),
            texts_within_limits(comment=COMMENT_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
