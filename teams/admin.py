"""The back office of teams, their members and GCTC rounds: filters, history, CSV/XLSX exports; merging duplicate
teams and moving a team to another SuperCluster go through teams/services.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Round
from core.admin_exports import Column, ExportAdminMixin
from core.admin_history import ReadOnlyHistoryAdmin
from core.admin_lists import CachedRelatedOnlyFieldListFilter, CountryListFilter, ListPageAdminMixin
from core.text_limits import LengthLimitedAdminMixin

from . import services
from .models import Milestone, OpenRole, Team, TeamMembership

MAX_MOVE_ACTIONS = 30


class MembershipInline(admin.TabularInline):
    """Read-only: states change through the team page (ask, invite, accept, decline, leave)."""

    model = TeamMembership
    extra = 0
    fields = ["organisation", "role", "state", "requested_at", "decided_at", "left_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class OpenRoleInline(admin.TabularInline):
    model = OpenRole
    extra = 0
    fields = ["role", "expertise", "filled_by"]
    readonly_fields = ["filled_by"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


TEAM_COLUMNS = [
    Column(_("team"), "name"),
    Column(_("GCTC round"), "round.name"),
    Column(_("lead organisation"), "lead_organisation.name"),
    Column(_("country"), lambda team: team.lead_organisation.country.name),
    Column(_("thematic cluster"), "cluster.name"),
    Column(_("SuperCluster"), "supercluster.name"),
    Column(_("merged into"), "merged_into.name"),
    Column(_("created (UTC)"), "created_at"),
]


@admin.register(Team)
class TeamAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, ExportAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["name", "lead_organisation", "round", "cluster", "supercluster", "merged_into", "created_at"]
    list_filter = [
        ("round", CachedRelatedOnlyFieldListFilter),
        ("cluster", CachedRelatedOnlyFieldListFilter),
        ("supercluster", CachedRelatedOnlyFieldListFilter),
        ("merged_into", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "summary", "lead_organisation__name"]
    list_select_related = ["lead_organisation", "round", "cluster", "supercluster", "merged_into"]
    autocomplete_fields = ["lead_organisation", "cluster", "supercluster", "application"]
    readonly_fields = ["merged_into", "created_by", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [OpenRoleInline, MilestoneInline, MembershipInline]
    actions = ["merge", *ExportAdminMixin.export_actions]
    export_columns = TEAM_COLUMNS
    export_select_related = ("lead_organisation", "round", "cluster", "supercluster", "merged_into")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The lead is its first member: changed by merging, not by editing.
        return [*self.readonly_fields, "lead_organisation"] if obj is not None else self.readonly_fields

    def get_fields(self, request, obj=None):
        # A team changes SuperCluster with the "Move to" actions (services.team_move), not by editing.
        fields = super().get_fields(request, obj)
        return [field for field in fields if field != "supercluster"] if obj is not None else fields

    def get_actions(self, request):
        """One "Move to <SuperCluster>" action per SuperCluster (a handful), and "Move out of its SuperCluster"."""
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        targets = [(None, _("Move out of its SuperCluster"))]
        for supercluster in Cluster.objects.filter(kind=Cluster.Kind.SUPER).order_by("name")[:MAX_MOVE_ACTIONS]:
            targets.append((supercluster, _("Move to %(supercluster)s") % {"supercluster": supercluster.name}))
        for target, description in targets:
            name = f"move_to_{target.pk if target else 'none'}"
            actions[name] = (self._mover(target), name, description)
        return actions

    def _mover(self, supercluster):
        def move(modeladmin, request, queryset):
            for team in queryset:
                services.team_move(team=team, supercluster=supercluster, by=request.user)
            modeladmin.message_user(request, _("%(count)d team(s) moved.") % {"count": len(queryset)}, messages.SUCCESS)

        return move

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.team_started(team=obj, by=request.user)

    @admin.action(description=_("Merge the selected teams into the oldest of them"), permissions=["change"])
    def merge(self, request, queryset):
        teams = list(queryset.order_by("created_at", "pk"))
        if len(teams) < 2:
            self.message_user(request, _("Select at least two teams to merge."), messages.WARNING)
            return
        into = teams[0]
        for duplicate in teams[1:]:
            try:
                services.team_merge(duplicate=duplicate, into=into, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{duplicate}: {detail}", messages.WARNING)
        self.message_user(request, _("Merged into %(team)s.") % {"team": into.name}, messages.SUCCESS)


MEMBER_COLUMNS = [
    Column(_("team"), "team.name"),
    Column(_("organisation"), "organisation.name"),
    Column(_("kind of organisation"), "organisation.get_kind_display"),
    Column(_("country"), lambda membership: membership.organisation.country.name),
    Column(_("role"), "get_role_display"),
    Column(_("state"), "get_state_display"),
    Column(_("asked or invited (UTC)"), "requested_at"),
    Column(_("decided (UTC)"), "decided_at"),
    Column(_("left (UTC)"), "left_at"),
]


@admin.register(TeamMembership)
class TeamMembershipAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, ExportAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["organisation", "team", "role", "state", "requested_at", "decided_at"]
    list_filter = [
        "state",
        "role",
        ("team__round", CachedRelatedOnlyFieldListFilter),
        "organisation__kind",
        ("organisation__country", CountryListFilter),
    ]
    search_fields = ["organisation__name", "team__name"]
    list_select_related = ["organisation", "team"]
    autocomplete_fields = ["team", "organisation", "requested_by"]
    # States change through the services (the team page); the back office reads and exports them.
    readonly_fields = ["state", "open_role", "requested_at", "decided_by", "decided_at", "left_at"]
    date_hierarchy = "requested_at"
    actions = [*ExportAdminMixin.export_actions]
    export_columns = MEMBER_COLUMNS
    export_select_related = ("team", "organisation")
    show_full_result_count = False


@admin.register(Round)
class RoundAdmin(ListPageAdminMixin, ExportAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["name", "year", "created_at"]
    list_filter = ["year"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [*ExportAdminMixin.export_actions]
