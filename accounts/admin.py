from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Organisation, OrganisationMembership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "preferred_language", "date_joined"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "date_joined"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name", "job_title", "preferred_language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "role", "status", "requested_at", "decided_at"]
    readonly_fields = ["requested_at", "decided_at"]
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "is_wego_member", "is_verified", "created_at"]
    list_filter = ["kind", "is_verified", "is_wego_member", "country"]
    search_fields = ["name", "city"]
    date_hierarchy = "created_at"
    readonly_fields = ["verified_at", "created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]
    actions = ["verify"]
    show_full_result_count = False

    @admin.action(description=_("Mark as verified by the secretariat"))
    def verify(self, request, queryset):
        count = 0
        for organisation in queryset.filter(is_verified=False):
            services.organisation_verify(organisation=organisation, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "status", "requested_at", "decided_at"]
    list_filter = ["status", "role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]
    date_hierarchy = "requested_at"
    actions = ["approve", "decline"]
    show_full_result_count = False

    def _decide(self, request, queryset, decide, done_message: str) -> None:
        done = 0
        for membership in queryset:
            try:
                decide(membership=membership, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
                self.message_user(request, f"{membership}: {detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(request, queryset, services.membership_approve, _("%(count)d request(s) approved."))

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        self._decide(request, queryset, services.membership_decline, _("%(count)d request(s) declined."))
