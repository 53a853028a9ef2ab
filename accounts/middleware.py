"""A signed-in person's own language and time zone, for every request; staff without a second factor are told.

Language: the address prefix (/ko/...) wins, then the language cookie (the switcher sets it); without
either, a signed-in person gets their preferred language instead of the browser's Accept-Language, so an
unprefixed address redirects to it. Signing in switches to the preferred language (accounts/signals.py
marks the request; the cookie is set here on the way out). Time zone: the person's own, so dates and times
not tied to a venue are shown in it.
"""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .rules import was_refused_for_two_factor

LANGUAGE_AFTER_SIGN_IN = "_portal_language_after_sign_in"


class UserLanguageAndTimeZoneMiddleware:
    """Runs after AuthenticationMiddleware; LocaleMiddleware (before it) redirects with the language chosen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            if (
                not translation.get_language_from_path(request.path_info)
                and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                and user.preferred_language
            ):
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        language = getattr(request, LANGUAGE_AFTER_SIGN_IN, None)
        if language:
            set_language_cookie(response, language)
        return response


def set_language_cookie(response, language: str) -> None:
    """The cookie Django's language switcher sets, with the same flags (settings.LANGUAGE_COOKIE_*)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def send_to_two_factor_setup(request):
    """Staff powers need an authenticator app: say so, and open the page that activates one."""
    messages.warning(
        request,
        gettext(
            "This needs two-factor authentication: secretariat staff use the back office and the portal's staff "
            "actions only once an authenticator app is activated for their account. Activate one now, then try again."
        ),
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


class StaffTwoFactorMiddleware:
    """A staff member refused a page (404) or an action (403) for want of the second factor (a staff power they
    otherwise hold was asked for: accounts/rules.py `staff_holding`) is sent to activate an authenticator app, with
    the reason, as the back office's gate does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that answered 403 itself (core.errors.forbidden) rather than raising PermissionDenied.
        if response.status_code == 403 and _for_a_person(request) and was_refused_for_two_factor(request.user):
            return send_to_two_factor_setup(request)
        return response

    def process_exception(self, request, exception):
        if (
            isinstance(exception, Http404 | PermissionDenied)
            and _for_a_person(request)
            and was_refused_for_two_factor(request.user)
        ):
            return send_to_two_factor_setup(request)
        return None


def _for_a_person(request) -> bool:
    """A page a person reads, not the API, whose programs are answered in JSON whatever the token's creator lacks."""
    return not request.path_info.startswith("/api/")
