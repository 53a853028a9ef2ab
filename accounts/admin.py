from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_exports import Column, ExportAdminMixin
from core.admin_history import ReadOnlyHistoryAdmin
from core.admin_lists import CountryListFilter, ListPageAdminMixin
from core.text_limits import LengthLimitedAdminMixin

from . import personal_data, services
from .models import Organisation, OrganisationMembership, User


@admin.register(User)
class UserAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "preferred_language",
        "is_staff",
        "has_authenticator",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "preferred_language", "date_joined", "groups"]
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

    def get_queryset(self, request):
        authenticators = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        return super().get_queryset(request).annotate(has_authenticator=Exists(authenticators))

    @admin.display(description=_("two-factor"), boolean=True, ordering="has_authenticator")
    def has_authenticator(self, user: User) -> bool:
        """Staff need an authenticator app before the back office opens (ADMIN_REQUIRE_MFA)."""
        return user.has_authenticator

    def delete_model(self, request, obj: User) -> None:
        """Staff deleting an account remove what names the person, as the person's own deletion does."""
        personal_data.account_delete(obj)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            personal_data.account_delete(user)


class MembershipInline(admin.TabularInline):
    """Who belongs to the organisation, read only: roles and memberships change through the actions of the
    organisation memberships list (the same services, and e-mails, as the organisation's own administrators)."""

    model = OrganisationMembership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "role", "status", "requested_at", "decided_at", "ended_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


ORGANISATION_COLUMNS = [
    Column(_("name"), "name"),
    Column(_("kind"), "get_kind_display"),
    Column(_("country"), lambda organisation: organisation.country.name),
    Column(_("city"), "city"),
    Column(_("website"), "website"),
    Column(_("WeGO member"), "is_wego_member"),
    Column(_("verified by the secretariat"), "is_verified"),
    Column(_("created (UTC)"), "created_at"),
]


@admin.register(Organisation)
class OrganisationAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, ExportAdminMixin, ReadOnlyHistoryAdmin):
    list_display = ["name", "kind", "country", "city", "is_wego_member", "is_verified", "created_at", "updated_at"]
    list_filter = ["kind", "is_verified", "is_wego_member", ("country", CountryListFilter)]
    search_fields = ["name", "city"]
    date_hierarchy = "created_at"
    readonly_fields = ["verified_at", "created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]
    actions = ["verify", "merge", *ExportAdminMixin.export_actions]
    export_columns = ORGANISATION_COLUMNS
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        """Ticking "verified" on the change form verifies through the service, which releases what waited."""
        verifying = obj.is_verified and "is_verified" in form.changed_data
        if verifying:
            obj.is_verified = False
        elif "is_verified" in form.changed_data:
            obj.verified_at = None
        super().save_model(request, obj, form, change)
        if verifying:
            services.organisation_verify(organisation=obj, by=request.user)

    @admin.action(description=_("Mark as verified by the secretariat"), permissions=["change"])
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

    @admin.action(description=_("Merge duplicate organisations (asks which one to keep)"), permissions=["delete"])
    def merge(self, request, queryset):
        organisations = list(queryset.order_by("created_at", "pk"))
        if len(organisations) < 2:
            self.message_user(request, gettext("Select at least two organisations to merge."), messages.WARNING)
            return None
        chosen = request.POST.get("survivor", "")
        if "apply" in request.POST:
            survivor = next((o for o in organisations if str(o.pk) == chosen), None)
            if survivor is None:
                self.message_user(request, gettext("Choose the organisation to keep."), messages.ERROR)
            else:
                try:
                    moved = services.organisation_merge(survivor=survivor, duplicates=organisations, by=request.user)
                except (ValidationError, PermissionDenied) as error:
                    detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                    self.message_user(request, detail, messages.ERROR)
                else:
                    summary = ", ".join(f"{count} {kind}" for kind, count in moved.items()) or gettext("nothing")
                    self.log_change(request, survivor, gettext("Merged duplicates into it; moved %s.") % summary)
                    self.message_user(
                        request,
                        gettext("Merged into %(name)s; moved %(summary)s.") % {"name": survivor, "summary": summary},
                        messages.SUCCESS,
                    )
                    return None
        return TemplateResponse(
            request,
            "admin/accounts/organisation/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Merge duplicate organisations"),
                "opts": self.model._meta,
                "organisations": organisations,
                "survivor": chosen,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(LengthLimitedAdminMixin, ListPageAdminMixin, ExportAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "status", "requested_at", "decided_at"]
    list_filter = ["status", "role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    list_only = [
        "role",
        "status",
        "requested_at",
        "decided_at",
        "user__full_name",
        "user__email",
        "organisation__name",
    ]
    fields = [
        "user",
        "organisation",
        "role",
        "status",
        "message",
        "requested_at",
        "decided_at",
        "decided_by",
        "decision_note",
        "ended_at",
        "ended_by",
    ]
    # Every change goes through the actions below, which call the services the organisations' administrators use:
    # the person is told, and an organisation never loses its last administrator.
    readonly_fields = fields
    date_hierarchy = "requested_at"
    actions = [
        "approve",
        "decline",
        "make_administrator",
        "make_contact",
        "remove",
        *ExportAdminMixin.export_actions,
    ]
    export_columns = [
        Column(_("person"), "user.full_name"),
        Column(_("e-mail address"), "user.email"),
        Column(_("organisation"), "organisation.name"),
        Column(_("role"), "get_role_display"),
        Column(_("status"), "get_status_display"),
        Column(_("requested (UTC)"), "requested_at"),
        Column(_("decided (UTC)"), "decided_at"),
    ]
    export_select_related = ("user", "organisation")
    show_full_result_count = False

    def has_add_permission(self, request):
        """People ask to join through the portal (or register their organisation); staff approve them here."""
        return False

    def _each(self, request, queryset, change, done_message: str) -> None:
        done = 0
        for membership in queryset:
            try:
                change(membership=membership, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                detail = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
                self.message_user(request, f"{membership}: {detail}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        self._each(request, queryset, services.membership_approve, _("%(count)d request(s) approved."))

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        self._each(request, queryset, services.membership_decline, _("%(count)d request(s) declined."))

    @admin.action(
        description=_("Make the selected people administrators of their organisation"), permissions=["change"]
    )
    def make_administrator(self, request, queryset):
        def promote(*, membership, by):
            services.membership_role_set(membership=membership, by=by, role=OrganisationMembership.Role.ADMIN)

        self._each(request, queryset, promote, _("%(count)d person(s) made administrator."))

    @admin.action(description=_("Make the selected people contacts of their organisation"), permissions=["change"])
    def make_contact(self, request, queryset):
        def demote(*, membership, by):
            services.membership_role_set(membership=membership, by=by, role=OrganisationMembership.Role.CONTACT)

        self._each(request, queryset, demote, _("%(count)d person(s) made contact."))

    @admin.action(description=_("Remove the selected people from their organisation"), permissions=["change"])
    def remove(self, request, queryset):
        self._each(request, queryset, services.membership_remove, _("%(count)d person(s) removed."))
