"""The indicator catalogue: indicators that projects share, so that what they measure can be compared.

A city typing an indicator that is not in the catalogue proposes one (status "proposed"); the secretariat
accepts it into the catalogue or merges it into an existing indicator (kpis/services.py).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabelsMixin
from core.languages import translation_columns
from core.text_limits import texts_within_limits


class IndicatorQuerySet(models.QuerySet):
    def catalogue(self):
        return self.filter(status=Indicator.Status.CATALOGUE)

    def proposed(self):
        return self.filter(status=Indicator.Status.PROPOSED)


class Indicator(ChoiceLabelsMixin, models.Model):
    class Status(models.TextChoices):
        CATALOGUE = "catalogue", _("In the catalogue")
        PROPOSED = "proposed", _("Proposed by a city")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), max_length=2000, blank=True)
    unit = models.CharField(
        _("unit"),
        max_length=50,
        # xgettext:no-python-format (a literal percent sign: the string is never %-formatted)
        help_text=_("The unit values are compared in, for example kWh, t, minutes, % or visits per month."),
    )
    direction = models.CharField(
        _("which is better"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster",
        verbose_name=_("thematic clusters it suits"),
        blank=True,
        related_name="indicators",
        limit_choices_to={"kind": "thematic"},
    )
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the indicator comes from, for example ITU U4SSC EC: ICT: ES: 1C."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CATALOGUE, db_index=True
    )
    proposed_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), condition=Q(status="catalogue"), name="indicator_catalogue_name_unique"
            ),
            texts_within_limits(definition=2000, **dict.fromkeys(translation_columns("definition"), 2000)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_catalogue(self) -> bool:
        return self.status == self.Status.CATALOGUE

    @property
    def lower_is_better(self) -> bool:
        return self.direction == self.Direction.LOWER
