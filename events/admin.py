from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin_exports import Column, ExportAdminMixin, csv_response, xlsx_response
from core.admin_history import ReadOnlyHistoryAdmin
from core.admin_lists import CachedRelatedOnlyFieldListFilter, CountryListFilter, ListPageAdminMixin
from core.languages import translation_columns
from core.paginators import EstimatedCountPaginator
from core.text_limits import LengthLimitedAdminMixin

from . import services
from .models import Event, Registration

REGISTRATION_COLUMNS = [
    Column(_("event"), "event.name"),
    Column(_("event starts (UTC)"), "event.starts_at"),
    Column(_("full name"), "user.full_name"),
    Column(_("e-mail address"), "user.email"),
    Column(_("job title"), "user.job_title"),
    Column(_("organisation"), "organisation.name"),
    Column(_("attendance"), "get_attendance_display"),
    Column(_("status"), "get_status_display"),
    Column(_("waiting list order"), "waitlist_position"),
    Column(_("registered (UTC)"), "created_at"),
    Column(_("cancelled (UTC)"), "cancelled_at"),
]
REGISTRATION_SELECT_RELATED = ("event", "user", "organisation")


class RegistrationInline(admin.TabularInline):
    """Read-only: registrations change through the portal's pages and the registration actions."""

    model = Registration
    extra = 0
    fields = ["user", "organisation", "attendance", "status", "waitlist_position", "created_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")


@admin.register(Event)
class EventAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, TranslationAdmin, ReadOnlyHistoryAdmin):
    list_display = ["name", "kind", "starts_at", "city", "country", "capacity", "confirmed_count", "waitlisted_count"]
    list_filter = [
        "kind",
        ("country", CountryListFilter),
        "starts_at",
        ("related_clusters", admin.RelatedOnlyFieldListFilter),
    ]
    list_only = [*translation_columns("name"), "kind", "starts_at", "city", "country", "capacity"]
    search_fields = [*translation_columns("name"), "slug", "city", "venue", "host", "co_located_with"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["related_clusters"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "related_clusters"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "date_to_be_announced",
                    "expected_period",
                    "time_zone",
                    "venue",
                    "city",
                    "country",
                ]
            },
        ),
        (_("Organisers"), {"fields": ["host", "co_located_with", "external_url", "agenda"]}),
        (_("Registration"), {"fields": ["registration_opens_at", "registration_closes_at", "capacity"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [RegistrationInline]
    actions = ["export_registrations", "export_registrations_xlsx", "fill_from_waiting_list"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_registration_counts()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            self._report_promotions(request, services.event_fill_from_waiting_list(event=obj))

    def _report_promotions(self, request, promoted: list[Registration]) -> None:
        self.message_user(
            request,
            gettext("%(count)d registration(s) promoted from the waiting list.") % {"count": len(promoted)},
            messages.SUCCESS,
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, event: Event) -> int:
        return event.confirmed_count

    @admin.display(description=_("waiting"), ordering="waitlisted_count")
    def waitlisted_count(self, event: Event) -> int:
        return event.waitlisted_count

    def _registrations_of(self, queryset):
        return (
            Registration.objects.filter(event__in=queryset.values("pk"))
            .select_related(*REGISTRATION_SELECT_RELATED)
            .order_by("event__starts_at", "event_id", "created_at", "pk")
        )

    @admin.action(description=_("Export the registrations of the selected events (CSV)"))
    def export_registrations(self, request, queryset):
        return csv_response(self._registrations_of(queryset), REGISTRATION_COLUMNS, "event-registrations.csv")

    @admin.action(description=_("Export the registrations of the selected events (XLSX, for Excel)"))
    def export_registrations_xlsx(self, request, queryset):
        return xlsx_response(
            self._registrations_of(queryset), REGISTRATION_COLUMNS, "event-registrations.xlsx", gettext("Registrations")
        )

    @admin.action(description=_("Give free places to the waiting list"), permissions=["change"])
    def fill_from_waiting_list(self, request, queryset):
        promoted = [
            registration for event in queryset for registration in services.event_fill_from_waiting_list(event=event)
        ]
        self._report_promotions(request, promoted)


@admin.register(Registration)
class RegistrationAdmin(ListPageAdminMixin, ExportAdminMixin, admin.ModelAdmin):
    list_display = ["user", "event", "organisation", "attendance", "status", "waitlist_position", "created_at"]
    # A date filter rather than a date hierarchy: the hierarchy reads every registration's date on each view.
    list_filter = [("event", CachedRelatedOnlyFieldListFilter), "status", "attendance", "event__kind", "created_at"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "event__name"]
    list_select_related = ["user", "event", "organisation"]
    list_only = [
        "attendance",
        "status",
        "waitlist_position",
        "created_at",
        "user__full_name",
        "user__email",
        *translation_columns("event__name"),
        "organisation__name",
    ]
    autocomplete_fields = ["event", "user", "organisation"]
    # Registrations are made and cancelled through the services, which keep the capacity and waiting list.
    readonly_fields = [
        "event",
        "user",
        "organisation",
        "status",
        "waitlist_position",
        "created_at",
        "promoted_at",
        "cancelled_at",
    ]
    # Newest first, along the created_at index.
    ordering = ["-created_at", "-pk"]
    actions = [*ExportAdminMixin.export_actions, "cancel_registrations"]
    export_columns = REGISTRATION_COLUMNS
    export_select_related = REGISTRATION_SELECT_RELATED
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        done = 0
        for registration in queryset.select_related("event", "user"):
            try:
                services.registration_cancel(registration=registration, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{registration}: {detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, gettext("%(count)d registration(s) cancelled.") % {"count": done}, messages.SUCCESS)
