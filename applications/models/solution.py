"""A company's (or nonprofit's, or university's) solution offered to cities, reviewed like a project application."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.text_limits import texts_within_limits

from ..workflow import AuditEntry, ReviewedSubmission, Status
from .documents import PrivateDocument

# Organisations that offer solutions; cities apply with projects instead.
SOLUTION_PROVIDER_KINDS = ("company", "nonprofit", "academia")
FIRST_DEPLOYMENT_YEAR = 1990
LAST_DEPLOYMENT_YEAR = 2100


class SolutionRegistrationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Status.ACCEPTED)


class SolutionRegistration(ReviewedSubmission):
    submission_name = "solution"

    class Offering(models.TextChoices):
        EXPERT_GUIDANCE = "guidance", _("Expert guidance")
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")
        RESEARCH = "research", _("Research")

    class Maturity(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        PILOT = "pilot", _("Pilot")
        DEPLOYED = "deployed", _("Deployed")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="solutions",
        limit_choices_to={"kind__in": SOLUTION_PROVIDER_KINDS},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name of the solution"), max_length=200)
    summary = models.TextField(
        _("summary"), max_length=1500, blank=True, help_text=_("One paragraph a city official reads first.")
    )
    description = models.TextField(
        _("description"),
        max_length=8000,
        blank=True,
        help_text=_("What it does, for which city problem, and what a city needs to use it."),
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster",
        verbose_name=_("thematic clusters"),
        related_name="solutions",
        blank=True,
        limit_choices_to={"kind": "thematic"},
        help_text=_("The themes it serves. The leaders of these clusters are told when you submit."),
    )
    offering = models.CharField(_("what you offer"), max_length=20, choices=Offering.choices, blank=True, db_index=True)
    maturity = models.CharField(_("maturity"), max_length=20, choices=Maturity.choices, blank=True, db_index=True)
    standards = models.TextField(
        _("standards supported"),
        max_length=3000,
        blank=True,
        help_text=_("For example oneM2M, FIWARE NGSI-LD, ISO 37120, TALQ."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = SolutionRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("solution registration")
        verbose_name_plural = _("solution registrations")
        ordering = ["-updated_at", "-pk"]
        # The directory's full-text index is created on PostgreSQL by migration 0003 (SQLite has none).
        indexes = [
            models.Index(fields=["organisation", "-updated_at"], name="solution_org_updated"),
            models.Index(fields=["status", "-decided_at"], name="solution_status_decided"),
            # The back office's list by status (the dashboard's links), newest change first as `ordering`.
            models.Index(fields=["status", "-updated_at", "-id"], name="solution_status_updated"),
        ]
        constraints = [texts_within_limits(summary=1500, description=8000, standards=3000)]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("solutions:detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == Status.ACCEPTED

    def is_applicant(self, user) -> bool:
        organisation = user.organisation if user.is_authenticated else None
        return organisation is not None and organisation.pk == self.organisation_id

    def submission_problems(self) -> list[str]:
        problems = [
            _("Fill in “%(field)s”.") % {"field": self._meta.get_field(name).verbose_name}
            for name in ("summary", "description", "offering", "maturity")
            if not getattr(self, name)
        ]
        clusters = list(self.clusters.all())
        if not clusters:
            problems.append(_("Choose at least one thematic cluster the solution serves."))
        problems += [
            _("The cluster “%(cluster)s” is closed. Choose another.") % {"cluster": cluster}
            for cluster in clusters
            if cluster.is_closed
        ]
        if self.call_id and clusters:
            problems += self.call.cluster_problems(clusters)
        return problems

    def contact_person(self):
        """Who speaks for the solution: the person who registered it, or else an administrator of the
        organisation (the registrant may have left it)."""
        from accounts.models import OrganisationMembership

        creator = self.created_by
        if creator is not None and creator.is_active and self.is_applicant(creator):
            return creator
        membership = (
            OrganisationMembership.objects.filter(
                organisation_id=self.organisation_id,
                status=OrganisationMembership.Status.ACTIVE,
                role=OrganisationMembership.Role.ADMIN,
                user__is_active=True,
            )
            .select_related("user")
            .order_by("decided_at", "pk")
            .first()
        )
        return membership.user if membership else None


class Deployment(models.Model):
    """Where the solution is already in use, and what it achieved there."""

    solution = models.ForeignKey(SolutionRegistration, on_delete=models.CASCADE, related_name="deployments")
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"), db_index=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_DEPLOYMENT_YEAR), MaxValueValidator(LAST_DEPLOYMENT_YEAR)]
    )
    result = models.CharField(_("short result"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.city}, {self.country.name} ({self.year})"


class SolutionBrochure(PrivateDocument):
    UPLOAD_FOLDER = "solutions"

    solution = models.ForeignKey(SolutionRegistration, on_delete=models.CASCADE, related_name="brochures")

    class Meta:
        verbose_name = _("brochure")
        verbose_name_plural = _("brochures")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("solutions:brochure", args=[self.solution_id, self.pk])


class SolutionHistory(AuditEntry):
    solution = models.ForeignKey(
        SolutionRegistration, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(AuditEntry.Meta):
        verbose_name = _("solution history entry")
        verbose_name_plural = _("solution history")


class Introduction(models.Model):
    """A cluster leader put a city's project in touch with a company's solution: recorded once per pair."""

    application = models.ForeignKey(
        "applications.ProjectApplication",
        verbose_name=_("project application"),
        on_delete=models.CASCADE,
        related_name="introductions",
    )
    solution = models.ForeignKey(
        SolutionRegistration, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="introductions"
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("introduced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("introduced"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "solution"],
                name="introduction_once_per_pair",
                violation_error_message=_("This city and this solution have already been introduced."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} ↔ {self.solution}"
