"""Calls: the secretariat invites project applications (or, separately, solutions) until a deadline.

Every moment is stored in UTC and entered and shown in the call's named time zone (`time_zone`), so "closes 17:00
in Seoul" stays 17:00 in Seoul across a daylight-saving change anywhere. A submission made for a call is refused
after the close, unless the secretariat extended the call for the submitting organisation (`CallExtension`).
"""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, validate_time_zone
from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits

DESCRIPTION_MAX_LENGTH = 8000


class CallQuerySet(models.QuerySet):
    def open(self, now: datetime | None = None):
        """Calls taking submissions now (an organisation's extension aside)."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def listed(self, now: datetime | None = None):
        """What the public calls page lists: open and announced calls (not yet open)."""
        return self.filter(closes_at__gt=now or timezone.now())


class Call(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        APPLICATIONS = "applications", _("Project applications")
        SOLUTIONS = "solutions", _("Solutions")

    kind = models.CharField(
        _("call for"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.APPLICATIONS,
        help_text=_("Cities apply with projects; companies, nonprofits and academia register solutions."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    round = models.ForeignKey(
        "clusters.Round",
        verbose_name=_("GCTC round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("Applications made for the call take part in this round."),
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster",
        verbose_name=_("thematic clusters"),
        blank=True,
        related_name="calls",
        limit_choices_to={"kind": "thematic"},
        help_text=_("Empty: every thematic cluster."),
    )
    # Values of accounts.Organisation.Kind; empty: every kind that may submit this kind of thing.
    eligible_kinds = models.JSONField(_("who may apply"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The dates below are entered and shown in this time zone, for example Asia/Seoul."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    review_deadline = models.DateTimeField(
        _("reviews due"),
        null=True,
        blank=True,
        help_text=_("When reviewers' scores are due. Reviewers with unscored applications are reminded 3 days before."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["closes_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"),
            texts_within_limits(description=DESCRIPTION_MAX_LENGTH),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})
        if self.review_deadline and self.closes_at and self.review_deadline <= self.closes_at:
            raise ValidationError({"review_deadline": _("Reviews can only be due after the call closes.")})
        unknown = set(self.eligible_kinds or ()) - set(Organisation.Kind.values)
        if unknown:
            raise ValidationError({"eligible_kinds": _("Choose kinds of organisation from the list.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_opens_at(self) -> datetime:
        return self.opens_at.astimezone(self.zone)

    @property
    def local_closes_at(self) -> datetime:
        return self.closes_at.astimezone(self.zone)

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def has_opened(self) -> bool:
        return self.opens_at <= timezone.now()

    def closes_for(self, organisation_id) -> datetime:
        """When the call closes for the organisation: the call's close, or the extension granted to it (read once
        per organisation and instance: a page's rule and its text ask the same)."""
        known = self.__dict__.setdefault("_closes_for", {})
        if organisation_id not in known:
            known[organisation_id] = (
                self.extensions.filter(organisation_id=organisation_id).values_list("closes_at", flat=True).first()
            )
        extended = known[organisation_id]
        return max(self.closes_at, extended) if extended else self.closes_at

    def start_refusal(self, organisation_id, now: datetime) -> str | None:
        """Why the organisation cannot start or submit something for the call at `now` (None when it can)."""
        if now < self.opens_at:
            return _("The call “%(call)s” opens on %(date)s (%(zone)s time).") % {
                "call": self.title,
                "date": formats.date_format(self.local_opens_at, "DATETIME_FORMAT"),
                "zone": self.time_zone,
            }
        closes = self.closes_for(organisation_id)
        if now < closes:
            return None
        return _("The call “%(call)s” closed on %(date)s (%(zone)s time) and takes no more submissions.") % {
            "call": self.title,
            "date": formats.date_format(closes.astimezone(self.zone), "DATETIME_FORMAT"),
            "zone": self.time_zone,
        }

    def submission_refusal(self, organisation_id, now: datetime) -> str | None:
        """Why the organisation's draft cannot be submitted for the call at `now` (None when it can)."""
        refusal = self.start_refusal(organisation_id, now)
        if refusal is None:
            return None
        return "{} {}".format(
            refusal,
            _("Your draft is kept. If you need more time, ask the secretariat (%(email)s) for an extension.")
            % {"email": settings.SECRETARIAT_EMAIL},
        )

    def cluster_problems(self, chosen) -> list[str]:
        """What is wrong with the thematic clusters a submission chose, for this call: it must choose one of the
        call's (any, when the call names none)."""
        named = list(self.clusters.all())
        if not named or any(cluster in named for cluster in chosen):
            return []
        return [
            _("The call “%(call)s” is for the clusters %(clusters)s. Choose one of them.")
            % {"call": self.title, "clusters": ", ".join(f"“{cluster}”" for cluster in named)}
        ]

    def accepts(self, organisation) -> bool:
        """The organisation is of a kind the call invites (every kind, when the call names none)."""
        return not self.eligible_kinds or organisation.kind in self.eligible_kinds

    def submissions(self):
        """The applications (or solutions) made for the call."""
        return self.projectapplications if self.kind == self.Kind.APPLICATIONS else self.solutionregistrations

    def eligible_kind_labels(self) -> list[str]:
        return [str(Organisation.Kind(kind).label) for kind in self.eligible_kinds or () if kind in Organisation.Kind]


class CallExtension(models.Model):
    """The secretariat gives one organisation more time to submit for a call."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    closes_at = models.DateTimeField(_("closes for this organisation"))
    note = models.CharField(_("why"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["closes_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "organisation"], name="call_extension_once")]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.closes_at:%Y-%m-%d %H:%M} UTC"

    def clean(self):
        if self.closes_at and self.call_id and self.closes_at <= self.call.closes_at:
            raise ValidationError({"closes_at": _("An extension must end after the call closes.")})
