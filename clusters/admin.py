from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin_exports import Column, ExportAdminMixin
from core.admin_history import ReadOnlyHistoryAdmin
from core.admin_lists import CachedRelatedOnlyFieldListFilter, ListPageAdminMixin
from core.languages import translation_columns
from core.text_limits import LengthLimitedAdminMixin

from . import services
from .models import Cluster, ClusterEmailPreference, ClusterMembership, ThemeSuggestion
from .selectors import with_member_count


def _run_for_each(modeladmin, request, queryset, action, done_message) -> None:
    """Call a service for each selected row; report the rows it refused instead of stopping at the first."""
    done = 0
    for obj in queryset:
        try:
            action(obj)
        except (ValidationError, PermissionDenied) as error:
            detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error) or _("Not allowed.")
            modeladmin.message_user(request, f"{obj}: {detail}", messages.WARNING)
        else:
            done += 1
    modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


class MembershipInline(LengthLimitedAdminMixin, admin.TabularInline):
    """Read-only history: decisions are taken with the actions of the cluster memberships list."""

    model = ClusterMembership
    extra = 0
    fields = ["organisation", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "requested_by", "decided_by")


@admin.register(Cluster)
class ClusterAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, TranslationAdmin, ReadOnlyHistoryAdmin):
    list_display = ["name", "kind", "status", "supercluster", "member_count", "updated_at"]
    list_filter = ["kind", "status", ("supercluster", admin.RelatedOnlyFieldListFilter)]
    # Every language's texts, so a search finds a cluster whatever language the staff member reads.
    search_fields = [*translation_columns("name", "summary"), "slug", "leaders__full_name", "leaders__email"]
    list_select_related = ["supercluster"]
    list_only = [
        *translation_columns("name"),
        "kind",
        "status",
        "updated_at",
        *translation_columns("supercluster__name"),
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["leaders", "supercluster"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "status", "supercluster"]}),
        (_("Theme"), {"fields": ["summary", "description"]}),
        (_("Leaders and discussion"), {"fields": ["leaders", "discussion_url"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [MembershipInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return with_member_count(super().get_queryset(request))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, cluster: Cluster) -> int:
        return cluster.member_count


MEMBERSHIP_COLUMNS = [
    Column(_("cluster"), "cluster.name"),
    Column(_("kind of cluster"), "cluster.get_kind_display"),
    Column(_("organisation"), "organisation.name"),
    Column(_("kind of organisation"), "organisation.get_kind_display"),
    Column(_("country"), lambda membership: membership.organisation.country.name),
    Column(_("status"), "get_status_display"),
    Column(_("requested by"), "requested_by.full_name"),
    Column(_("requested (UTC)"), "requested_at"),
    Column(_("decided by"), "decided_by.full_name"),
    Column(_("decided (UTC)"), "decided_at"),
    Column(_("left (UTC)"), "left_at"),
]


class DeciderListFilter(admin.SimpleListFilter):
    """Who decides on a request: the cluster's leaders, or the secretariat while the cluster has no leader."""

    title = _("who decides")
    parameter_name = "decider"

    def lookups(self, request, model_admin):
        return [
            ("leaders", _("The cluster's leaders")),
            ("secretariat", _("The secretariat (the cluster has no leader)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "secretariat":
            return queryset.decided_by_secretariat()
        if self.value() == "leaders":
            return queryset.decided_by_leaders()
        return queryset


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, ExportAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["organisation", "cluster", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = [
        "status",
        DeciderListFilter,
        "cluster__kind",
        ("cluster", CachedRelatedOnlyFieldListFilter),
        "organisation__kind",
    ]
    search_fields = ["organisation__name", "cluster__name", "requested_by__email", "requested_by__full_name"]
    list_select_related = ["organisation", "cluster", "requested_by", "decided_by"]
    list_only = [
        "status",
        "requested_at",
        "decided_at",
        "organisation__name",
        *translation_columns("cluster__name"),
        "requested_by__full_name",
        "requested_by__email",
        "decided_by__full_name",
        "decided_by__email",
    ]
    autocomplete_fields = ["cluster", "organisation", "requested_by"]
    # Status and the decision record change only through the approve/decline actions (the services); a note
    # written on a pending request is sent with the decision.
    readonly_fields = ["status", "requested_at", "decided_by", "decided_at", "left_by", "left_at"]
    date_hierarchy = "requested_at"
    actions = ["approve", "decline", *ExportAdminMixin.export_actions]
    export_columns = MEMBERSHIP_COLUMNS
    export_select_related = ("cluster", "organisation", "requested_by", "decided_by")
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return [*self.readonly_fields, "decision_note"]
        return self.readonly_fields

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            lambda membership: services.cluster_membership_approve(
                membership=membership, by=request.user, note=membership.decision_note
            ),
            _("%(count)d request(s) approved."),
        )

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            lambda membership: services.cluster_membership_decline(
                membership=membership, by=request.user, note=membership.decision_note
            ),
            _("%(count)d request(s) declined."),
        )


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, admin.ModelAdmin):
    list_display = ["title", "suggested_by", "status", "created_at", "cluster"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "rationale", "participants", "suggested_by__email", "suggested_by__full_name"]
    list_select_related = ["suggested_by", "cluster"]
    list_only = [
        "title",
        "status",
        "created_at",
        "suggested_by__full_name",
        "suggested_by__email",
        *translation_columns("cluster__name"),
    ]
    autocomplete_fields = ["suggested_by"]
    # Decisions are the actions; a note written here first is sent to the person who suggested the theme.
    readonly_fields = ["status", "cluster", "decided_by", "decided_at", "created_at"]
    date_hierarchy = "created_at"
    actions = ["turn_into_cluster", "decline"]
    show_full_result_count = False

    @admin.action(description=_("Turn into a forming cluster"), permissions=["change"])
    def turn_into_cluster(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            lambda suggestion: services.theme_suggestion_to_cluster(
                suggestion=suggestion, by=request.user, note=suggestion.decision_note
            ),
            _("%(count)d forming cluster(s) created. Add their leaders and discussion links in Clusters."),
        )

    @admin.action(description=_("Decline the selected suggestions"), permissions=["change"])
    def decline(self, request, queryset):
        _run_for_each(
            self,
            request,
            queryset,
            lambda suggestion: services.theme_suggestion_decline(
                suggestion=suggestion, by=request.user, note=suggestion.decision_note
            ),
            _("%(count)d suggestion(s) declined."),
        )


@admin.register(ClusterEmailPreference)
class ClusterEmailPreferenceAdmin(ListPageAdminMixin, admin.ModelAdmin):
    list_display = ["user", "cluster", "frequency", "updated_at"]
    list_filter = ["frequency", ("cluster", CachedRelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "cluster__name"]
    list_select_related = ["user", "cluster"]
    list_only = ["frequency", "updated_at", "user__full_name", "user__email", *translation_columns("cluster__name")]
    autocomplete_fields = ["user", "cluster"]
