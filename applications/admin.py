"""The secretariat reviews submissions here. Every action calls the same transition function as the portal."""

import datetime as dt
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.admin_exports import Column, ExportAdminMixin
from core.admin_history import ReadOnlyHistoryAdmin
from core.admin_lists import CachedRelatedFieldListFilter, CountryListFilter, ListPageAdminMixin
from core.languages import translation_columns
from core.text_limits import LengthLimitedAdminMixin

from . import services
from .forms import MAX_KPIS, MAX_PARTNERS_SOUGHT, MAX_TEAM_MEMBERS
from .models import (
    ApplicationDocument,
    ApplicationHistory,
    Call,
    CallExtension,
    Criterion,
    Deployment,
    Introduction,
    Kpi,
    LeaderComment,
    Message,
    PartnerSought,
    ProjectApplication,
    ReviewAssignment,
    SolutionBrochure,
    SolutionHistory,
    SolutionRegistration,
    TeamMember,
)
from .rules import reviewer_refusal
from .solution_forms import MAX_DEPLOYMENTS
from .workflow import STAFF, TRANSITIONS, WORKFLOW_FIELDS, Action, allowed_actions, submission_transition


def _refusal(error: ValidationError | PermissionDenied) -> str:
    """The reason a service refused, in the words it gave."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("You may not do this.")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewAdminMixin(ExportAdminMixin):
    """Actions and change-page buttons for every staff transition of the review workflow, and CSV/XLSX exports.

    Bulk moves that need a note (request changes, decline) first show a page asking for it; the note is sent
    with every selected submission. Rows the transition refuses are listed with the reason. On a submission's
    change page, a "Review" panel shows one button per move allowed now, with the note for the applicant.
    """

    actions = ["start_review", "accept", "request_changes", "decline", *ExportAdminMixin.export_actions]
    transition_template = "admin/applications/transition_note.html"
    change_form_template = "admin/applications/review_change_form.html"
    review_template = "admin/applications/review.html"

    def save_model(self, request, obj, form, change):
        """A staff edit of the text writes the columns its form edits, never the status or its dates: a withdrawal
        or a decision made meanwhile stays (only `submission_transition` writes those)."""
        if not change:
            return super().save_model(request, obj, form, change)
        obj._history_user = request.user
        columns = {field.name for field in obj._meta.concrete_fields}
        edited = [name for name in form.fields if name in columns and name not in WORKFLOW_FIELDS]
        obj.save(update_fields=[*edited, "updated_at"])
        return None

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, submission):
        return submission.organisation.country.name

    def review_moves(self, request, submission) -> list[tuple[str, str, bool]]:
        """(action, label, note required) for each button the change page shows for `submission` now."""
        return [
            (t.action, t.label, t.note_required) for t in allowed_actions(submission, request.user) if t.by == STAFF
        ]

    def review_apply(self, request, submission, action: str, note: str) -> None:
        """Make one move from the review panel; raises what the workflow raises when it refuses."""
        submission_transition(submission, action, by=request.user, note=note)

    def _review_url(self, submission) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[submission.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context.update(review_moves=self.review_moves(request, obj), review_url=self._review_url(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_view(self, request, object_id):
        """The review panel's form posts here; a refused move shows the panel again with the note kept."""
        submission = self.get_object(request, unquote(object_id))
        if submission is None:
            raise Http404
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        opts = self.model._meta
        note = request.POST.get("note", "").strip()
        if request.method == "POST":
            action = request.POST.get("review_action", "")
            try:
                self.review_apply(request, submission, action, note)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _refusal(error), messages.ERROR)
                submission.refresh_from_db()
            else:
                self.message_user(
                    request,
                    gettext("Done: %(submission)s is now “%(status)s”.")
                    % {
                        "submission": submission,
                        "status": type(submission).objects.get(pk=submission.pk).get_status_display(),
                    },
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[submission.pk])
                )
        return TemplateResponse(
            request,
            self.review_template,
            {
                **self.admin_site.each_context(request),
                "title": gettext("Review: %(submission)s") % {"submission": submission},
                "opts": opts,
                "original": submission,
                "review_moves": self.review_moves(request, submission),
                "review_url": self._review_url(submission),
                "note": note,
            },
        )

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

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
                self.message_user(request, f"{submission}: {_refusal(error)}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            _("%(action)s: %(count)d done.") % {"action": transition.label, "count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        return None

    @admin.action(description=_("Start the review of the selected"), permissions=["change"])
    def start_review(self, request, queryset):
        return self._transition(request, queryset, Action.START_REVIEW)

    @admin.action(description=_("Accept the selected"), permissions=["change"])
    def accept(self, request, queryset):
        return self._transition(request, queryset, Action.ACCEPT)

    @admin.action(description=_("Request changes to the selected (asks for a note)"), permissions=["change"])
    def request_changes(self, request, queryset):
        return self._transition(request, queryset, Action.REQUEST_CHANGES)

    @admin.action(description=_("Decline the selected (asks for a note)"), permissions=["change"])
    def decline(self, request, queryset):
        return self._transition(request, queryset, Action.DECLINE)


class HistoryInline(ReadOnlyInline):
    model = ApplicationHistory
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class RowInline(LengthLimitedAdminMixin, admin.TabularInline):
    """The worksheet's rows in the back office, with the portal's hard maximum: a tampered row count builds
    no more than max_num rows and is refused, as on the applicant's page."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_max", True)
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)


class TeamInline(RowInline):
    model = TeamMember
    max_num = MAX_TEAM_MEMBERS


class PartnerSoughtInline(RowInline):
    model = PartnerSought
    max_num = MAX_PARTNERS_SOUGHT


class KpiInline(RowInline):
    model = Kpi
    max_num = MAX_KPIS


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["original_name", "kind", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


class MessageInline(ReadOnlyInline):
    """The conversation with the applicant, internal notes marked; staff write on the submission's portal page."""

    model = Message
    fk_name = "application"
    fields = ["created_at", "side", "author", "internal", "body", "file"]
    readonly_fields = fields
    verbose_name_plural = _("Conversation (write on the submission's page in the portal)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "attachment")

    @admin.display(description=_("file"))
    def file(self, message):
        attachment = getattr(message, "attachment", None)
        if attachment is None:
            return ""
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name)


class SolutionMessageInline(MessageInline):
    fk_name = "solution"


class CommentInline(ReadOnlyInline):
    model = LeaderComment
    fields = ["created_at", "author", "body"]
    readonly_fields = fields


APPLICATION_COLUMNS = [
    Column(_("reference"), "pk"),
    Column(_("project title"), "title"),
    Column(_("city"), "organisation.name"),
    Column(_("country"), lambda application: application.organisation.country.name),
    Column(_("thematic cluster"), "cluster.name"),
    Column(_("GCTC action cluster"), "action_cluster.name"),
    Column(_("status"), "get_status_display"),
    Column(_("stage"), "get_stage_display"),
    Column(_("start date"), "start_date"),
    Column(_("end date"), "end_date"),
    Column(_("budget"), "budget"),
    Column(_("currency"), "currency"),
    Column(_("contact person"), "contact_name"),
    Column(_("contact e-mail"), "contact_email"),
    Column(_("submitted (UTC)"), "submitted_at"),
    Column(_("decided (UTC)"), "decided_at"),
    Column(_("published as a case (UTC)"), "published_at"),
    Column(_("last change (UTC)"), "updated_at"),
]


class ReviewerForm(forms.ModelForm):
    class Meta:
        model = ReviewAssignment
        fields = ["reviewer"]

    def clean_reviewer(self):
        reviewer = self.cleaned_data["reviewer"]
        if self.instance.pk is None and (self.instance.application_id or self.instance.solution_id):
            refusal = reviewer_refusal(reviewer, self.instance.submission)
            if refusal:
                raise ValidationError(refusal)
        return reviewer


class ReviewerInline(admin.TabularInline):
    """The reviewers staff assign (secretariat staff, or leaders of the cluster, none from the applicant or a
    project's team), and what each scored: the weighted mean and spread are columns of the list."""

    model = ReviewAssignment
    form = ReviewerForm
    fk_name = "application"
    extra = 0
    autocomplete_fields = ["reviewer"]
    fields = ["reviewer", "assigned_by", "assigned_at", "completed_at", "scores_given"]
    readonly_fields = ["assigned_by", "assigned_at", "completed_at", "scores_given"]
    verbose_name_plural = _("Reviewers (they score against the call's criteria; the applicant never sees them)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer", "assigned_by").prefetch_related("scores")

    @admin.display(description=_("scores"))
    def scores_given(self, assignment) -> str:
        if assignment.pk is None:
            return ""
        return ", ".join(str(score.value) for score in assignment.scores.all()) or gettext("not scored yet")


class SolutionReviewerInline(ReviewerInline):
    fk_name = "solution"


class ReviewersAdminMixin:
    """A submission's reviewers: shown only when it was made for a call (they score against its criteria), and
    assigned through the service, which checks each again and e-mails them."""

    def get_inline_instances(self, request, obj=None):
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if not isinstance(inline, ReviewerInline) or (obj is not None and obj.call_id)
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewAssignment:
            return super().save_formset(request, form, formset, change)
        submission = form.instance
        for assignment in formset.save(commit=False):
            if assignment.pk is None:
                services.reviewer_assign(submission=submission, reviewer=assignment.reviewer, by=request.user)
        for assignment in formset.deleted_objects:
            assignment.delete()
        services.review_figures_update(submission)


@admin.register(ProjectApplication)
class ProjectApplicationAdmin(
    ReviewersAdminMixin, LengthLimitedAdminMixin, ListPageAdminMixin, ReviewAdminMixin, ReadOnlyHistoryAdmin
):
    list_display = [
        "title",
        "organisation",
        "country",
        "cluster",
        "status",
        "stage",
        "submitted_at",
        "updated_at",
        "review_score",
        "review_spread",
    ]
    # Date filters rather than a date hierarchy, which reads every row's date on each view of the list. Published
    # cases are found with the "published at" filter (each column costs every row of every view).
    list_filter = [
        "status",
        ("cluster", CachedRelatedFieldListFilter),
        "call",
        "stage",
        ("organisation__country", CountryListFilter),
        "submitted_at",
        "published_at",
    ]
    search_fields = ["title", "organisation__name", "contact_email", "created_by__email"]
    list_select_related = ["organisation", "cluster"]
    list_only = [
        "title",
        "status",
        "stage",
        "submitted_at",
        "updated_at",
        "review_score",
        "review_spread",
        "organisation__name",
        "organisation__country",
        *translation_columns("cluster__name"),
    ]
    autocomplete_fields = ["organisation", "created_by", "cluster", "action_cluster", "call"]
    # What the public case may show is the city's decision (its application page), not the secretariat's.
    readonly_fields = [
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "published_at",
        "publish_cybersecurity",
        "publish_budget",
        "publish_contact",
        "case_withdrawn_at",
    ]
    inlines = [
        TeamInline,
        PartnerSoughtInline,
        KpiInline,
        DocumentInline,
        CommentInline,
        MessageInline,
        ReviewerInline,
        HistoryInline,
    ]
    actions = [*ReviewAdminMixin.actions, "publish", "unpublish"]

    export_columns = APPLICATION_COLUMNS
    export_select_related = ("organisation", "cluster", "action_cluster")
    show_full_result_count = False

    def review_moves(self, request, submission) -> list[tuple[str, str, bool]]:
        moves = super().review_moves(request, submission)
        if submission.is_published:
            moves.append(("unpublish", gettext("Take out of the best-practice library"), False))
        elif submission.may_be_published:
            moves.append(("publish", gettext("Publish as a best-practice case"), False))
        return moves

    def review_apply(self, request, submission, action: str, note: str) -> None:
        if action in ("publish", "unpublish"):
            services.application_publish(application=submission, by=request.user, publish=action == "publish")
        else:
            super().review_apply(request, submission, action, note)

    def _publish(self, request, queryset, publish: bool):
        done = 0
        for application in queryset:
            try:
                services.application_publish(application=application, by=request.user, publish=publish)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{application}: {_refusal(error)}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(count)d application(s) changed.") % {"count": done})

    @admin.action(description=_("Publish the selected as best-practice cases"), permissions=["change"])
    def publish(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=_("Take the selected out of the best-practice library"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._publish(request, queryset, False)


# --- Solution registrations -----------------------------------------------------------------------------


class DeploymentInline(RowInline):
    model = Deployment
    max_num = MAX_DEPLOYMENTS


class BrochureInline(DocumentInline):
    model = SolutionBrochure
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class SolutionHistoryInline(HistoryInline):
    model = SolutionHistory


@admin.register(SolutionRegistration)
class SolutionRegistrationAdmin(
    ReviewersAdminMixin, LengthLimitedAdminMixin, ListPageAdminMixin, ReviewAdminMixin, admin.ModelAdmin
):
    list_display = [
        "name",
        "organisation",
        "country",
        "offering",
        "maturity",
        "status",
        "submitted_at",
        "updated_at",
        "review_score",
        "review_spread",
    ]
    list_filter = [
        "status",
        "offering",
        "maturity",
        ("clusters", CachedRelatedFieldListFilter),
        "call",
        "organisation__kind",
        ("organisation__country", CountryListFilter),
        "submitted_at",
    ]
    search_fields = ["name", "summary", "organisation__name", "created_by__email"]
    list_select_related = ["organisation"]
    list_only = [
        "name",
        "offering",
        "maturity",
        "status",
        "submitted_at",
        "updated_at",
        "review_score",
        "review_spread",
        "organisation__name",
        "organisation__country",
    ]
    autocomplete_fields = ["organisation", "created_by", "call"]
    filter_horizontal = ["clusters"]
    readonly_fields = ["status", "created_at", "updated_at", "submitted_at", "decided_at"]
    inlines = [DeploymentInline, BrochureInline, SolutionMessageInline, SolutionReviewerInline, SolutionHistoryInline]
    show_full_result_count = False


@admin.register(Introduction)
class IntroductionAdmin(ListPageAdminMixin, admin.ModelAdmin):
    list_display = ["application", "city", "solution", "provider", "introduced_by", "created_at"]
    list_filter = ["created_at", "application__cluster"]
    search_fields = [
        "application__title",
        "solution__name",
        "application__organisation__name",
        "solution__organisation__name",
    ]
    list_select_related = ["application__organisation", "solution__organisation", "introduced_by"]
    list_only = [
        "created_at",
        "application__title",
        "application__organisation__name",
        "solution__name",
        "solution__organisation__name",
        "introduced_by__full_name",
        "introduced_by__email",
    ]
    autocomplete_fields = ["application", "solution", "introduced_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"

    @admin.display(description=_("city"), ordering="application__organisation__name")
    def city(self, introduction):
        return introduction.application.organisation.name

    @admin.display(description=_("provider"), ordering="solution__organisation__name")
    def provider(self, introduction):
        return introduction.solution.organisation.name


# --- Calls ------------------------------------------------------------------------------------------------


class ZonedMomentsForm(forms.ModelForm):
    """The form's moments (`zoned`) are typed and shown in the call's time zone, not the staff member's own: a call
    closing "17:00 in Seoul" is typed as 17:00 whoever types it, and stored in UTC."""

    zoned: tuple[str, ...] = ()

    def moment_zone(self, cleaned_data):
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.moment_zone({})
        for name in self.zoned:
            if name in self.fields:
                self.fields[name].help_text = " ".join(
                    filter(None, [str(self.fields[name].help_text), gettext("In the call's time zone.")])
                )
                value = getattr(self.instance, name, None)
                if zone is not None and value is not None:
                    self.initial[name] = timezone.make_naive(value, zone)

    def clean(self):
        cleaned_data = super().clean()
        zone = self.moment_zone(cleaned_data)
        for name in self.zoned:
            value = cleaned_data.get(name)
            if zone is None or value is None:
                continue
            typed = timezone.make_naive(value)  # the fields read it in the staff member's zone: take the digits back
            moment = timezone.make_aware(typed, zone)
            if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != typed:
                self.add_error(
                    name,
                    gettext("%(time)s does not exist in %(zone)s: the clocks change then. Choose another time.")
                    % {"time": typed.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
                )
                continue
            cleaned_data[name] = moment
        return cleaned_data


class CallForm(ZonedMomentsForm):
    zoned = ("opens_at", "closes_at", "review_deadline")
    eligible_kinds = forms.TypedMultipleChoiceField(
        label=_("Who may apply"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of organisation that submits what the call asks for."),
    )

    class Meta:
        model = Call
        fields = [
            "kind",
            "title",
            "slug",
            "description",
            "round",
            "clusters",
            "eligible_kinds",
            "time_zone",
            "opens_at",
            "closes_at",
            "review_deadline",
        ]

    def moment_zone(self, cleaned_data):
        name = cleaned_data.get("time_zone") if cleaned_data else self.instance.time_zone
        try:
            return zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None


class ExtensionForm(ZonedMomentsForm):
    zoned = ("closes_at",)

    class Meta:
        model = CallExtension
        fields = ["organisation", "closes_at", "note"]

    def moment_zone(self, cleaned_data):
        return self.instance.call.zone if self.instance.call_id else None


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "description", "weight"]
    verbose_name_plural = _("Criteria reviewers score (a new call starts with the GCTC's; change them freely)")


class ExtensionInline(admin.TabularInline):
    model = CallExtension
    form = ExtensionForm
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "closes_at", "note", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    verbose_name_plural = _("Extensions for one organisation (after the call has been saved)")


@admin.register(Call)
class CallAdmin(ListPageAdminMixin, admin.ModelAdmin):
    form = CallForm
    list_display = ["title", "kind", "round", "local_opens", "local_closes", "time_zone"]
    list_only = ["title", "kind", "opens_at", "closes_at", "time_zone", "round__name"]
    list_filter = ["kind", "round"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["clusters"]
    list_select_related = ["round"]
    inlines = [CriterionInline, ExtensionInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "description", "round", "clusters", "eligible_kinds"]}),
        (_("Dates"), {"fields": ["time_zone", "opens_at", "closes_at", "review_deadline"]}),
    ]

    @admin.display(description=_("opens"), ordering="opens_at")
    def local_opens(self, call):
        return _local(call, call.opens_at)

    @admin.display(description=_("closes"), ordering="closes_at")
    def local_closes(self, call):
        return _local(call, call.closes_at)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # a new call starts with the GCTC's criteria unless staff gave its own
            services.call_criteria_start(form.instance)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CallExtension:
            return super().save_formset(request, form, formset, change)
        for extension in formset.save(commit=False):
            if extension.granted_by_id is None:
                extension.granted_by = request.user
            extension.save()
        for extension in formset.deleted_objects:
            extension.delete()


def _local(call, moment) -> str:
    return formats.date_format(moment.astimezone(call.zone), "DATETIME_FORMAT")
