"""A city's project application: the GCTC project worksheet, online, from draft to decision."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits
from kpis import figures, units

from ..workflow import SENT_STATUSES, AuditEntry, ReviewedSubmission, Status
from .documents import PrivateDocument


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]  # the worksheet's fields the section shows, in order (its rows come separately)
    required: tuple[str, ...]  # those it needs before the application can be submitted


# The worksheet's sections, in order: what each shows and what each needs before the application can be submitted.
SECTIONS = (
    Section(
        "overview",
        _("Title and summary"),
        ("title", "summary", "cluster", "action_cluster", "round"),
        ("title", "summary", "cluster"),
    ),
    Section("problem", _("The city problem"), ("problem",), ("problem",)),
    Section("approach", _("Approach and technologies"), ("approach", "technologies"), ("approach", "technologies")),
    Section("stage", _("Stage and dates"), ("stage", "start_date", "end_date"), ("stage", "start_date")),
    Section("team", _("Partners"), (), ()),
    Section("kpis", _("Measurable benefits (KPIs)"), (), ()),
    Section(
        "standards",
        _("Standards, interoperability, replicability, scalability"),
        ("standards", "interoperability", "replicability", "scalability"),
        ("standards", "replicability"),
    ),
    Section("security", _("Cybersecurity and privacy"), ("cybersecurity", "privacy"), ("cybersecurity", "privacy")),
    Section(
        "budget", _("Budget and funding"), ("budget", "currency", "funding_sources"), ("budget", "funding_sources")
    ),
    Section(
        "contact",
        _("Contact person"),
        ("contact_name", "contact_email", "contact_phone"),
        ("contact_name", "contact_email"),
    ),
)
# Every field of the worksheet, in its order.
WORKSHEET_FIELDS = tuple(field for section in SECTIONS for field in section.fields)


class ProjectApplicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.ACCEPTED, published_at__isnull=False)

    def visible_to(self, user):
        """What `user` may read: their organisation's, their clusters' sent ones, everything for staff."""
        from clusters.models import Cluster

        from ..rules import staff_may_view_applications

        if not user.is_authenticated:
            return self.published()
        if staff_may_view_applications(user):
            return self
        mine = Q(organisation=user.organisation) if user.organisation else Q(pk__in=[])
        # The led clusters as a subquery: one query for the whole visibility check, not two.
        led_clusters = Cluster.leaders.through.objects.filter(user_id=user.pk).values("cluster_id")
        led = Q(cluster_id__in=led_clusters, status__in=SENT_STATUSES, organisation__is_verified=True)
        return self.filter(mine | led | Q(status=Status.ACCEPTED, published_at__isnull=False))


class ProjectApplication(ReviewedSubmission):
    submission_name = "application"

    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="project_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("thematic cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_applications",
        limit_choices_to={"kind": "thematic"},
    )
    action_cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("GCTC action cluster to join"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "action"},
        help_text=_("Optional: an action cluster of the Global City Teams Challenge this project would join."),
    )
    round = models.ForeignKey(
        "clusters.Round",
        verbose_name=_("GCTC round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("Optional: the round of the Global City Teams Challenge this project takes part in."),
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1500, blank=True, help_text=_("One paragraph."))
    problem = models.TextField(_("the city problem it addresses"), max_length=5000, blank=True)
    approach = models.TextField(_("approach"), max_length=5000, blank=True)
    technologies = models.TextField(
        _("technologies"),
        max_length=3000,
        blank=True,
        help_text=_("Including IoT and cyber-physical systems where relevant."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    standards = models.TextField(_("standards used"), max_length=3000, blank=True)
    interoperability = models.TextField(_("how it is interoperable"), max_length=3000, blank=True)
    replicability = models.TextField(_("how other cities could replicate it"), max_length=3000, blank=True)
    scalability = models.TextField(_("how it scales"), max_length=3000, blank=True)
    cybersecurity = models.TextField(_("cybersecurity measures"), max_length=5000, blank=True)
    privacy = models.TextField(_("privacy measures"), max_length=5000, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", help_text=_("For example USD, EUR, KRW."))
    funding_sources = models.TextField(_("funding sources"), max_length=3000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    # A contact person typed into the worksheet: all three are blanked when the name or the address is that
    # of a person who deletes their account (accounts/personal_data.py).
    personal_contact_fields = ("contact_name", "contact_email", "contact_phone")
    published_at = models.DateTimeField(_("published as a case"), null=True, blank=True, db_index=True)
    # What the city agreed to make public in the best-practice library; the rest of the worksheet is always public
    # once the secretariat publishes the case. The city changes these on its application page at any time.
    publish_cybersecurity = models.BooleanField(
        _("publish the cybersecurity and privacy measures"),
        default=False,
        help_text=_("Other cities learn from them, but attackers read them too."),
    )
    publish_budget = models.BooleanField(_("publish the budget and funding sources"), default=False)
    publish_contact = models.BooleanField(
        _("publish the contact person's name, e-mail and telephone"),
        default=False,
        help_text=_("Otherwise visitors see only the city's name."),
    )
    # When the city took its case out of the library: the secretariat does not publish it again until the city
    # allows it again on its application page.
    case_withdrawn_at = models.DateTimeField(_("taken out of the library by the city"), null=True, blank=True)
    # The case library's full-text document (title, summary, problem, approach, technologies), kept by a
    # PostgreSQL trigger (migration 0006) so searching and ranking read it instead of re-parsing the texts.
    # Empty on SQLite, where search is a plain substring match.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ProjectApplicationQuerySet.as_manager()

    # Every change of every field, with who made it (shown in admin's "History"). Submissions already use
    # `history` for their review trail, so the field-level record is `change_history` on every model.
    change_history = HistoricalRecords(
        excluded_fields=["search_document", "review_score", "review_spread", "review_count"]
    )

    class Meta:
        verbose_name = _("project application")
        verbose_name_plural = _("project applications")
        ordering = ["-updated_at", "-pk"]
        # The case library's full-text index is created on PostgreSQL by migration 0002 (SQLite has none).
        indexes = [
            models.Index(fields=["organisation", "-updated_at"], name="application_org_updated"),
            models.Index(fields=["cluster", "status", "-submitted_at"], name="application_cluster_status"),
            # The back office's list by status (the dashboard's links), newest change first as `ordering`.
            models.Index(fields=["status", "-updated_at", "-id"], name="application_status_updated"),
            # The leader page's newest sent applications of a cluster: a few index entries, not a sort of all; with
            # their status and city, the projects sent to a member's clusters that the benchmarks compare
            # (benchmarks._visible_kpis) come from the index alone.
            models.Index(
                fields=["cluster", "-submitted_at", "-id"],
                include=["status", "organisation"],
                condition=Q(status__in=sorted(SENT_STATUSES)),
                name="application_cluster_sent",
            ),
            # A cluster page's accepted projects, newest decision first (applications.selectors.cluster_projects):
            # a few index entries instead of intersecting the cluster's and every accepted application's rows.
            models.Index(
                fields=["cluster", "-decided_at", "-id"],
                condition=Q(status="accepted"),
                name="application_cluster_accepted",
            ),
            # Published cases: of a cluster, newest first (selectors.similar_cases), and all of them with their city,
            # as the benchmarks and the guidance read them (benchmarks.py), from the index alone, not from the table.
            models.Index(
                fields=["cluster", "-published_at", "-id"],
                include=["organisation"],
                condition=Q(status="accepted", published_at__isnull=False),
                name="application_published_case",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="application_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status=Status.ACCEPTED), name="application_publish_accepted"
            ),
            texts_within_limits(
                summary=1500,
                problem=5000,
                approach=5000,
                technologies=3000,
                standards=3000,
                interoperability=3000,
                replicability=3000,
                scalability=3000,
                cybersecurity=5000,
                privacy=5000,
                funding_sources=3000,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def may_be_published(self) -> bool:
        """Accepted, and the city has not taken it out of the library."""
        return self.status == Status.ACCEPTED and self.case_withdrawn_at is None

    def is_applicant(self, user) -> bool:
        organisation = user.organisation if user.is_authenticated else None
        return organisation is not None and organisation.pk == self.organisation_id

    def section_status(self, *, kpi_count: int | None = None) -> list[tuple[Section, bool]]:
        """Each worksheet section with whether it is complete enough to submit."""
        if kpi_count is None:
            kpi_count = self.kpis.count()
        done = []
        for section in SECTIONS:
            complete = all(getattr(self, field) not in (None, "") for field in section.required)
            if section.key == "kpis":
                complete = kpi_count > 0
            done.append((section, complete))
        return done

    def incomplete_sections(self) -> list[Section]:
        return [section for section, complete in self.section_status() if not complete]

    def submission_problems(self) -> list[str]:
        problems = [
            _("The section “%(section)s” is not complete.") % {"section": section.title}
            for section in self.incomplete_sections()
        ]
        if self.cluster_id and self.cluster.is_closed:
            problems.append(_("The cluster “%(cluster)s” is closed. Choose another.") % {"cluster": self.cluster})
        if self.call_id and self.cluster_id:
            problems += self.call.cluster_problems([self.cluster])
        return problems


class ApplicationHistory(AuditEntry):
    application = models.ForeignKey(
        ProjectApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(AuditEntry.Meta):
        verbose_name = _("history entry")
        verbose_name_plural = _("history")


class TeamMember(models.Model):
    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role in the project"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class PartnerSought(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        COMPANY = "company", _("Company")
        NONPROFIT = "nonprofit", _("Nonprofit")
        ACADEMIA = "academia", _("University or research institute")
        ANY = "any", _("Any kind")

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="partners_sought")
    kind = models.CharField(_("kind of partner"), max_length=20, choices=Kind.choices)
    expertise = models.CharField(_("expertise wanted"), max_length=300)

    class Meta:
        verbose_name = _("partner sought")
        verbose_name_plural = _("partners sought")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.expertise}"


class Kpi(ChoiceLabelsMixin, models.Model):
    """One indicator a project measures, from the shared catalogue (or proposed by the city), with the project's
    baseline and target in the unit the city uses; kpis/units.py converts it to the indicator's unit to compare."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="kpis")
    indicator = models.ForeignKey(
        "kpis.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="kpis"
    )
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=6, null=True)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=6, null=True)
    how_measured = models.CharField(_("how it is measured"), max_length=300)
    # The latest measured value, as its progress report gave it (ProgressReport.save keeps it), and what follows
    # from it in percent (computed on every save): a benchmark ranks the KPIs in the database and reads the
    # few it shows, not every report of every project measuring the indicator.
    latest_value = models.DecimalField(_("latest value"), max_digits=20, decimal_places=6, null=True, editable=False)
    latest_unit = models.CharField(_("unit of the latest value"), max_length=50, blank=True, editable=False)
    latest_on = models.DateField(_("latest value measured on"), null=True, editable=False)
    change = models.FloatField(_("change since the baseline (%)"), null=True, editable=False)
    progress = models.FloatField(_("progress towards the target (%)"), null=True, editable=False)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "indicator"], name="kpi_indicator_once_per_application")
        ]
        indexes = [models.Index(fields=["indicator", "application"], name="kpi_indicator_application")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.change, self.progress = kpi_figures(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "change", "progress"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.indicator.name


def kpi_figures(kpi: Kpi) -> tuple[float | None, float | None]:
    """(change since the baseline, progress towards the target), in percent, of the KPI's latest value converted to
    its own unit; None where a value is missing or does not convert. A change is the same in every unit it converts
    to by a factor, so the KPIs of one indicator compare whatever unit each project uses."""
    if kpi.latest_value is None or kpi.baseline is None:
        return None, None
    try:
        latest = units.convert(kpi.latest_value, kpi.latest_unit or kpi.unit, kpi.unit)
    except Exception:  # a unit changed by hand that no longer converts: the figures are left out, not guessed
        return None, None
    baseline = float(kpi.baseline)
    target = float(kpi.target) if kpi.target is not None else None
    return (
        figures.change(baseline=baseline, latest=latest),
        figures.progress(baseline=baseline, target=target, latest=latest),
    )


class ApplicationDocument(PrivateDocument):
    UPLOAD_FOLDER = "applications"

    class Kind(models.TextChoices):
        WORKSHEET = "worksheet", _("Completed project worksheet")
        SUPPORTING = "supporting", _("Supporting document")

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUPPORTING)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("applications:document", args=[self.application_id, self.pk])


class LeaderComment(models.Model):
    """A cluster leader's word to the secretariat about an application. Applicants do not see it."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="leader_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("leader's comment")
        verbose_name_plural = _("leaders' comments")
        ordering = ["created_at", "pk"]
        constraints = [texts_within_limits(body=5000)]

    def __str__(self) -> str:
        return self.body[:60]
