import csv
import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Event, Registration

CSV_COLUMNS = [
    _("event"),
    _("event starts (UTC)"),
    _("full name"),
    _("e-mail address"),
    _("job title"),
    _("organisation"),
    _("attendance"),
    _("status"),
    _("waiting list order"),
    _("registered (UTC)"),
    _("cancelled (UTC)"),
]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote, so it stays text."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") if value else ""


def registrations_csv_response(registrations: QuerySet[Registration], filename: str) -> StreamingHttpResponse:
    """Stream the registrations as CSV, row by row, so a large event does not load into memory at once."""
    rows = (
        registrations.select_related("event", "user", "organisation")
        .order_by("event__starts_at", "event_id", "created_at", "pk")
        .iterator(chunk_size=500)
    )
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the names in UTF-8
        yield writer.writerow([str(column) for column in CSV_COLUMNS])
        for registration in rows:
            row = [
                registration.event.name,
                _iso(registration.event.starts_at),
                registration.user.full_name,
                registration.user.email,
                registration.user.job_title,
                registration.organisation.name if registration.organisation else "",
                registration.get_attendance_display(),
                registration.get_status_display(),
                registration.waitlist_position or "",
                _iso(registration.created_at),
                _iso(registration.cancelled_at),
            ]
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_at", "city", "country", "capacity", "confirmed_count", "waitlisted_count"]
    list_filter = ["kind", "country", "starts_at", ("related_clusters", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "city", "venue", "host", "co_located_with"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["related_clusters"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "related_clusters"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "time_zone", "venue", "city", "country"]}),
        (_("Organisers"), {"fields": ["host", "co_located_with", "external_url", "agenda"]}),
        (_("Registration"), {"fields": ["registration_opens_at", "registration_closes_at", "capacity"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [RegistrationInline]
    actions = ["export_registrations", "fill_from_waiting_list"]
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

    @admin.action(description=_("Export the registrations of the selected events (CSV)"))
    def export_registrations(self, request, queryset):
        return registrations_csv_response(
            Registration.objects.filter(event__in=queryset.values("pk")), "event-registrations.csv"
        )

    @admin.action(description=_("Give free places to the waiting list"))
    def fill_from_waiting_list(self, request, queryset):
        promoted = [
            registration for event in queryset for registration in services.event_fill_from_waiting_list(event=event)
        ]
        self._report_promotions(request, promoted)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "organisation", "attendance", "status", "waitlist_position", "created_at"]
    list_filter = [("event", admin.RelatedOnlyFieldListFilter), "status", "attendance", "event__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "event__name"]
    list_select_related = ["user", "event", "organisation"]
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
    date_hierarchy = "created_at"
    actions = ["export_csv", "cancel_registrations"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Export the selected registrations (CSV)"))
    def export_csv(self, request, queryset):
        return registrations_csv_response(queryset, "registrations.csv")

    @admin.action(description=_("Cancel the selected registrations"))
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
