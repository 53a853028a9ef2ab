"""Thematic clusters (WeGO) and GCTC action clusters, grouped under SuperClusters.

Organisations (not people) are a cluster's members: an organisation's administrator asks to join, the
cluster's leaders or the secretariat decide. Anyone signed in may suggest a new theme; the secretariat can
turn a suggestion into a forming cluster.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.languages import translation_columns
from core.text_limits import texts_within_limits

# Addresses under /clusters/ that are pages of their own, so no cluster may use them as its short name.
RESERVED_SLUGS = frozenset({"lead", "suggest"})
DESCRIPTION_MAX_LENGTH = 10_000


def validate_cluster_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by another page of the portal. Choose another short name."),
            params={"value": value},
        )


class ClusterQuerySet(models.QuerySet):
    def open(self):
        """Clusters people can see and join: forming or active, not closed."""
        return self.exclude(status=Cluster.Status.CLOSED)


class Cluster(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("WeGO thematic cluster")
        ACTION = "action", _("GCTC action cluster")
        SUPER = "super", _("GCTC SuperCluster")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming, launching soon")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.THEMATIC, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"), max_length=80, unique=True, validators=[validate_cluster_slug]
    )
    summary = models.CharField(_("theme summary"), max_length=300)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING, db_index=True)
    supercluster = models.ForeignKey(
        "self",
        verbose_name=_("SuperCluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_clusters",
        limit_choices_to={"kind": Kind.SUPER},
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leaders"),
        blank=True,
        related_name="led_clusters",
        help_text=_("Experts on the theme who facilitate the cluster and decide who joins it."),
    )
    discussion_url = models.URLField(
        _("private discussion group"), blank=True, help_text=_("Shown to the cluster's members only.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ClusterQuerySet.as_manager()

    # Every change of every field, with who made it (shown in admin's "History"). Submissions already use
    # `history` for their review trail, so the field-level record is `change_history` on every model.
    # The per-language columns (name_ko...) are added by django-modeltranslation after the history model
    # exists; the history keeps the English texts (the name, summary and description columns).
    change_history = HistoricalRecords(excluded_fields=translation_columns("name", "summary", "description"))

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["kind", "name"]
        constraints = [
            texts_within_limits(
                description=DESCRIPTION_MAX_LENGTH,
                **dict.fromkeys(translation_columns("description"), DESCRIPTION_MAX_LENGTH),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # django-modeltranslation writes the untranslated column (and simple-history records it) in the active
        # language; saving in English keeps that column, and the change history, English whoever saves.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", kwargs={"slug": self.slug})

    def get_leader_page_url(self) -> str:
        """The leader page showing this cluster (it shows one led cluster at a time)."""
        return f"{reverse('clusters:lead')}?cluster={self.slug}"

    def clean(self) -> None:
        if self.supercluster_id and self.kind != self.Kind.ACTION:
            raise ValidationError(
                {"supercluster": _("Only GCTC action clusters belong to a SuperCluster. Leave this empty.")}
            )

    def active_leaders(self) -> list:
        """The leaders who hear of requests to join and decide on them (read from a prefetch when there is one).
        None: the secretariat decides instead."""
        return [leader for leader in self.leaders.all() if leader.is_active]

    @property
    def is_forming(self) -> bool:
        return self.status == self.Status.FORMING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Round(models.Model):
    """A round of the Global City Teams Challenge (GCTC 2018): applications and action-cluster teams belong to one,
    its key events (kickoff, Tech Jam, Expo) point at it, and its public page counts who took part."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("For example GCTC 2018."))
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    change_history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCTC round")
        verbose_name_plural = _("GCTC rounds")
        ordering = ["-year", "name"]
        constraints = [texts_within_limits(summary=2000)]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:round", kwargs={"slug": self.slug})


class ClusterMembershipQuerySet(models.QuerySet):
    def _led(self):
        return Cluster.leaders.through.objects.filter(user__is_active=True).values("cluster_id")

    def decided_by_secretariat(self):
        """Requests and memberships of clusters without an active leader: the WeGO secretariat decides on them (and
        is e-mailed their requests) until the cluster has one."""
        return self.exclude(cluster_id__in=self._led())

    def decided_by_leaders(self):
        return self.filter(cluster_id__in=self._led())


class ClusterMembership(models.Model):
    """An organisation's membership of a cluster: asked for, then approved or declined; members may leave.

    A decided request is never reopened: an organisation that was declined (or left) asks again with a new
    row, so every decision stays on record with who made it, when and why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left the cluster")
        WITHDRAWN = "withdrawn", _("Request withdrawn")

    # The states each state may move to; every change goes through `move_to`.
    TRANSITIONS = {
        Status.PENDING: {Status.ACTIVE, Status.DECLINED, Status.WITHDRAWN},
        Status.ACTIVE: {Status.LEFT},
        Status.DECLINED: set(),
        Status.LEFT: set(),
        Status.WITHDRAWN: set(),
    }
    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cluster_memberships",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    motivation = models.TextField(_("motivation"), max_length=2000, help_text=_("Why the organisation wants to join."))
    # The requester's own words: removed when that person deletes their account (accounts/personal_data.py).
    personal_text_fields = {"requested_by": ("motivation",)}
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note to the organisation"), max_length=1000, blank=True)
    # Who ended it from the organisation's side, and when: leaving, or withdrawing a request still waiting.
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("left by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = ClusterMembershipQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["-requested_at"]
        constraints = [
            # One request waiting or one membership at a time; declined, left and withdrawn rows are history.
            models.UniqueConstraint(
                fields=["cluster", "organisation"],
                condition=models.Q(status__in=["pending", "active"]),
                name="one_open_cluster_membership_per_organisation",
                violation_error_message=_("This organisation already belongs to the cluster or has asked to join."),
            ),
            texts_within_limits(motivation=2000, decision_note=1000),
        ]
        indexes = [
            models.Index(fields=["cluster", "status"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.cluster} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def move_to(self, status: "ClusterMembership.Status", *, by, note: str = "") -> None:
        """Change state and record who did it and when; refuse a change the workflow does not allow."""
        if status not in self.TRANSITIONS[self.status]:
            if self.status != self.Status.PENDING and status in (self.Status.ACTIVE, self.Status.DECLINED):
                raise ValidationError(_("This request has already been decided."))
            raise ValidationError(
                _("A membership that is “%(current)s” cannot become “%(new)s”.")
                % {"current": self.get_status_display(), "new": self.Status(status).label}
            )
        now = timezone.now()
        if status in (self.Status.LEFT, self.Status.WITHDRAWN):
            self.left_by, self.left_at = by, now
        else:
            self.decided_by, self.decided_at, self.decision_note = by, now, note
        self.status = status
        self.save()


class ThemeSuggestion(models.Model):
    """A proposal for a new thematic cluster; the secretariat reviews it and may turn it into one."""

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for review")
        ACCEPTED = "accepted", _("Turned into a cluster")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("theme"), max_length=200)
    rationale = models.TextField(_("why this theme"), max_length=4000)
    participants = models.TextField(_("who would take part"), max_length=2000)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="theme_suggestions",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster created from it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note to the person who suggested it"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("theme suggestion")
        verbose_name_plural = _("theme suggestions")
        ordering = ["-created_at"]
        constraints = [texts_within_limits(rationale=4000, participants=2000, decision_note=2000)]

    def __str__(self) -> str:
        return self.title

    def decide(self, status: "ThemeSuggestion.Status", *, by, note: str = "", cluster: Cluster | None = None) -> None:
        """Record the secretariat's decision; a suggestion is decided once."""
        if self.status != self.Status.NEW:
            raise ValidationError(_("This suggestion has already been decided."))
        self.status, self.cluster = status, cluster
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), note
        self.save()


class ClusterEmailPreference(models.Model):
    """How a cluster leader hears about their cluster: an e-mail per event (the default), a daily digest, or no
    e-mail (what the unsubscribe link of such an e-mail chooses; the leader page still lists everything)."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each event, as it happens")
        DAILY = "daily", _("One daily digest")
        OFF = "off", _("No e-mails")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="cluster_email_preferences",
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="email_preferences"
    )
    frequency = models.CharField(
        _("e-mails about this cluster"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("cluster e-mail preference")
        verbose_name_plural = _("cluster e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "cluster"], name="one_email_preference_per_cluster")]
        # Created by the notifications app, where the model first lived; the table kept its name and rows.
        db_table = "notifications_clusteremailpreference"

    def __str__(self) -> str:
        return f"{self.user} · {self.cluster}: {self.get_frequency_display()}"
