"""Rows about one submission, a project application or a solution (a message of its conversation, a reviewer
asked to score it): a foreign key to each kind, exactly one of them set."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def submission_keys(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """The row's `application` and `solution` keys, each submission's rows under `related_name`."""
    return tuple(
        models.ForeignKey(
            model,
            verbose_name=verbose_name,
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name=related_name,
        )
        for model, verbose_name in (
            ("applications.ProjectApplication", _("application")),
            ("applications.SolutionRegistration", _("solution")),
        )
    )


def about_one_submission(name: str) -> models.CheckConstraint:
    """The database's guarantee that exactly one of the two keys is set."""
    return models.CheckConstraint(
        condition=Q(application__isnull=False, solution__isnull=True)
        | Q(application__isnull=True, solution__isnull=False),
        name=name,
    )


class AboutSubmission:
    """What such a row is about, whichever its kind."""

    @property
    def submission(self):
        return self.application if self.application_id else self.solution
