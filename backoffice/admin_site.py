"""The secretariat's back office: Django admin with a staff dashboard and a two-factor gate.

Staff sign in through allauth's login (which asks for the authenticator code once one is activated); the admin's
own password form is never used, so no one reaches the back office on a password alone. With ADMIN_REQUIRE_MFA,
staff who have not activated an authenticator app yet are sent to set it up before any admin page opens.
"""

from functools import update_wrapper
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.rules import needs_two_factor

from .dashboard import staff_dashboard


class PortalAdminSite(admin.AdminSite):
    site_header = _("WeGO Cluster Portal: secretariat back office")
    site_title = _("WeGO back office")
    index_title = _("Dashboard")

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # The same test as every staff power of the portal's own pages (accounts/rules.py).
            if needs_two_factor(request.user):
                messages.warning(
                    request,
                    gettext(
                        "The back office needs two-factor authentication. Activate an authenticator app "
                        "for your account first, then open the back office again."
                    ),
                )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            return protected(request, *args, **kwargs)

        return update_wrapper(gated, protected)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Send people to the portal's login, which runs the two-factor step; explain a refusal to non-staff."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            return TemplateResponse(request, "admin/not_staff.html", {"next": next_url}, status=403)
        return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")

    def get_app_list(self, request: HttpRequest, app_label=None):
        """Built when a page first reads it: every admin page's context carries it, and pages that show no
        navigation sidebar (the pop-ups, the index that lists it itself) never pay for it."""
        return SimpleLazyObject(lambda: super(PortalAdminSite, self).get_app_list(request, app_label))

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return super().index(request, {**(extra_context or {}), "dashboard": staff_dashboard()})
