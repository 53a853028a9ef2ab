from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import ProgrammeContacts


@admin.register(ProgrammeContacts)
class ProgrammeContactsAdmin(admin.ModelAdmin):
    """One row: the list opens it, and it is never added twice or deleted."""

    # Told to the back office's page tests (tests/backoffice/test_admin_pages.py): no list of rows to test.
    single_row = True

    fieldsets = [
        (_("The WeGO secretariat"), {"fields": ["secretariat_email"]}),
        (_("Questions about the Global City Teams Challenge"), {"fields": ["gctc_contact_name", "gctc_contact_email"]}),
        (_("Questions about the Thematic Clusters"), {"fields": ["clusters_contact_name", "clusters_contact_email"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        contacts, _created = ProgrammeContacts.objects.get_or_create(pk=ProgrammeContacts.SINGLETON_PK)
        return HttpResponseRedirect(reverse("admin:frontoffice_programmecontacts_change", args=[contacts.pk]))
