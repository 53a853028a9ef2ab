"""The secretariat reviews submissions here. Every action calls the same transition function as the portal."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    ApplicationDocument,
    ApplicationHistory,
    Deployment,
    Introduction,
    Kpi,
    LeaderComment,
    PartnerSought,
    ProjectApplication,
    SolutionBrochure,
    SolutionHistory,
    SolutionRegistration,
    TeamMember,
)
from .workflow import TRANSITIONS, Action, submission_transition


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewAdminMixin:
    """Actions for every staff transition of the review workflow; a note goes to the applicant.

    Moves that need a note (request changes, decline) first show a page asking for it; the note is sent
    with every selected submission. Rows the transition refuses are listed with the reason.
    """

    actions = ["start_review", "accept", "request_changes", "decline"]
    transition_template = "admin/applications/transition_note.html"

    def _transition(self, request, queryset, action: str):
        transition = TRANSITIONS[action]
        note = request.POST.get("note", "").strip()
        if transition.note_required and not note:
            if "apply" in request.POST:
                self.message_user(request, _("Write the note that goes to the applicant."), messages.ERROR)
            return TemplateResponse(
                request,
                self.transition_template,
                {
                    **self.admin_site.each_context(request),
                    "title": transition.label,
                    "queryset": queryset,
                    "action": action,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "note": note,
                },
            )
        done = 0
        for submission in queryset:
            try:
                submission_transition(submission, action, by=request.user, note=note)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{submission}: {detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            _("%(action)s: %(count)d done.") % {"action": transition.label, "count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        return None

    @admin.action(description=_("Start the review of the selected"))
    def start_review(self, request, queryset):
        return self._transition(request, queryset, Action.START_REVIEW)

    @admin.action(description=_("Accept the selected"))
    def accept(self, request, queryset):
        return self._transition(request, queryset, Action.ACCEPT)

    @admin.action(description=_("Request changes to the selected (asks for a note)"))
    def request_changes(self, request, queryset):
        return self._transition(request, queryset, Action.REQUEST_CHANGES)

    @admin.action(description=_("Decline the selected (asks for a note)"))
    def decline(self, request, queryset):
        return self._transition(request, queryset, Action.DECLINE)


class HistoryInline(ReadOnlyInline):
    model = ApplicationHistory
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0


class PartnerSoughtInline(admin.TabularInline):
    model = PartnerSought
    extra = 0


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["original_name", "kind", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


class CommentInline(ReadOnlyInline):
    model = LeaderComment
    fields = ["created_at", "author", "body"]
    readonly_fields = fields


@admin.register(ProjectApplication)
class ProjectApplicationAdmin(ReviewAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "country",
        "cluster",
        "status",
        "stage",
        "submitted_at",
        "updated_at",
        "is_published",
    ]
    list_filter = ["status", "cluster", "stage", "organisation__country", "submitted_at", "published_at"]
    search_fields = ["title", "organisation__name", "contact_email", "created_by__email"]
    list_select_related = ["organisation", "cluster"]
    autocomplete_fields = ["organisation", "created_by", "cluster", "action_cluster"]
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "decided_at", "published_at"]
    date_hierarchy = "submitted_at"
    inlines = [TeamInline, PartnerSoughtInline, KpiInline, DocumentInline, CommentInline, HistoryInline]
    actions = [*ReviewAdminMixin.actions, "publish", "unpublish"]
    show_full_result_count = False

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, application):
        return application.organisation.country.name

    @admin.display(description=_("published"), boolean=True, ordering="published_at")
    def is_published(self, application):
        return application.is_published

    def _publish(self, request, queryset, publish: bool):
        done = 0
        for application in queryset:
            try:
                services.application_publish(application=application, by=request.user, publish=publish)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{application}: {detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d application(s) changed.") % {"count": done})

    @admin.action(description=_("Publish the selected as best-practice cases"))
    def publish(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=_("Take the selected out of the best-practice library"))
    def unpublish(self, request, queryset):
        self._publish(request, queryset, False)


# --- Solution registrations -----------------------------------------------------------------------------


class DeploymentInline(admin.TabularInline):
    model = Deployment
    extra = 0


class BrochureInline(ReadOnlyInline):
    model = SolutionBrochure
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


class SolutionHistoryInline(ReadOnlyInline):
    model = SolutionHistory
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(SolutionRegistration)
class SolutionRegistrationAdmin(ReviewAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "offering", "maturity", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "offering", "maturity", "clusters", "organisation__kind", "organisation__country"]
    search_fields = ["name", "summary", "organisation__name", "created_by__email"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "created_by"]
    filter_horizontal = ["clusters"]
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "decided_at"]
    date_hierarchy = "submitted_at"
    inlines = [DeploymentInline, BrochureInline, SolutionHistoryInline]
    show_full_result_count = False

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, solution):
        return solution.organisation.country.name


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["application", "city", "solution", "provider", "introduced_by", "created_at"]
    list_filter = ["created_at", "application__cluster"]
    search_fields = [
        "application__title",
        "solution__name",
        "application__organisation__name",
        "solution__organisation__name",
    ]
    list_select_related = ["application__organisation", "solution__organisation", "introduced_by"]
    autocomplete_fields = ["application", "solution", "introduced_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"

    @admin.display(description=_("city"), ordering="application__organisation__name")
    def city(self, introduction):
        return introduction.application.organisation.name

    @admin.display(description=_("provider"), ordering="solution__organisation__name")
    def provider(self, introduction):
        return introduction.solution.organisation.name
