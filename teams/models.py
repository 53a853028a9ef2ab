"""GCTC action-cluster teams: a lead organisation, partners with roles, open roles others ask to fill, milestones.

A team is formed around a city's project application (or by the secretariat), belongs to a GCTC round and a
thematic cluster, and optionally to a SuperCluster. Organisations (not people) are its members; each membership
moves through the states in `TeamMembership.TRANSITIONS`, always through `move_to`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits


class Role(models.TextChoices):
    """What an organisation does in a team."""

    LEAD_CITY = "lead_city", _("Lead city")
    PARTNER_CITY = "partner_city", _("Partner city")
    TECHNOLOGY = "technology", _("Technology partner")
    RESEARCH = "research", _("Research partner")
    INVESTOR = "investor", _("Investor")
    NONPROFIT = "nonprofit", _("Nonprofit partner")


# The roles others can be asked or invited to fill: a team has one lead, its founder.
PARTNER_ROLES = [(value, label) for value, label in Role.choices if value != Role.LEAD_CITY]

# The worksheet's "kind of partner sought" becomes the open role's kind.
ROLE_FOR_PARTNER_KIND = {
    "city": Role.PARTNER_CITY,
    "company": Role.TECHNOLOGY,
    "nonprofit": Role.NONPROFIT,
    "academia": Role.RESEARCH,
    "any": Role.TECHNOLOGY,
}


class TeamQuerySet(models.QuerySet):
    def current(self):
        """Teams not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def looking_for_partners(self):
        return self.current().filter(open_roles__filled_by__isnull=True).distinct()


class Team(models.Model):
    name = models.CharField(_("team name"), max_length=200)
    summary = models.TextField(
        _("project summary"), max_length=1500, help_text=_("Public: shown on the team page and in the directory.")
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_teams",
    )
    round = models.ForeignKey(
        "clusters.Round", verbose_name=_("GCTC round"), on_delete=models.PROTECT, related_name="teams"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("thematic cluster"),
        on_delete=models.PROTECT,
        related_name="teams",
        limit_choices_to={"kind": "thematic"},
    )
    supercluster = models.ForeignKey(
        "clusters.Cluster",
        verbose_name=_("SuperCluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="super_teams",
        limit_choices_to={"kind": "super"},
    )
    application = models.ForeignKey(
        "applications.ProjectApplication",
        verbose_name=_("project application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    discussion_url = models.URLField(
        _("private discussion link"), blank=True, help_text=_("Shown to the team's members only.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_teams",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = TeamQuerySet.as_manager()
    change_history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["-created_at", "-pk"]
        constraints = [texts_within_limits(summary=1500)]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", args=[self.pk])


class TeamMembership(ChoiceLabelsMixin, models.Model):
    """An organisation's place in a team: invited by the lead or asked for, then active (or declined), then left.

    A decided row is never reopened: an organisation that was declined or left asks again with a new row."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ASKED = "asked", _("Asked to join")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    TRANSITIONS = {
        State.INVITED: {State.ACTIVE, State.DECLINED},
        State.ASKED: {State.ACTIVE, State.DECLINED},
        State.ACTIVE: {State.LEFT},
        State.DECLINED: set(),
        State.LEFT: set(),
    }
    OPEN_STATES = (State.INVITED, State.ASKED, State.ACTIVE)

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ASKED, db_index=True)
    open_role = models.ForeignKey(
        "OpenRole", verbose_name=_("open role"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    personal_text_fields = {"requested_by": ("message",)}
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked or invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked or invited"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=1000, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    change_history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "organisation"],
                condition=Q(state__in=["invited", "asked", "active"]),
                name="one_open_team_membership_per_organisation",
                violation_error_message=_("This organisation already belongs to the team, is invited or has asked."),
            ),
            texts_within_limits(message=2000, decision_note=1000),
        ]
        indexes = [models.Index(fields=["team", "state"]), models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.team} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    def move_to(self, state: "TeamMembership.State", *, by, note: str = "") -> None:
        """Change state and record who did it and when; refuse a change the workflow does not allow."""
        if state not in self.TRANSITIONS[self.state]:
            if self.state not in (self.State.INVITED, self.State.ASKED):
                raise ValidationError(_("This has already been decided."))
            raise ValidationError(_("This membership cannot change that way."))
        now = timezone.now()
        if state == self.State.LEFT:
            self.left_at = now
        else:
            self.decided_by, self.decided_at, self.decision_note = by, now, note
        self.state = state
        self.save()


class OpenRole(ChoiceLabelsMixin, models.Model):
    """A place in the team the lead wants filled: the kind of partner and the expertise wanted."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="open_roles")
    role = models.CharField(_("kind of partner"), max_length=20, choices=PARTNER_ROLES, db_index=True)
    expertise = models.CharField(_("expertise wanted"), max_length=300)
    filled_by = models.OneToOneField(
        TeamMembership,
        verbose_name=_("filled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filled_role",
    )

    class Meta:
        verbose_name = _("open role")
        verbose_name_plural = _("open roles")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["role", "team"], condition=Q(filled_by__isnull=True), name="open_role_unfilled")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.expertise}"

    @property
    def is_filled(self) -> bool:
        return self.filled_by_id is not None


class Milestone(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    planned_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return self.title
