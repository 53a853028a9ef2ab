"""A signed-in person's own language and time zone, for every request.

Language: the address prefix (/ko/...) wins, then the language cookie (the switcher sets it); without
either, a signed-in person gets their preferred language instead of the browser's Accept-Language, so an
unprefixed address redirects to it. Signing in switches to the preferred language (accounts/signals.py
marks the request; the cookie is set here on the way out). Time zone: the person's own, so dates and times
not tied to a venue are shown in it.
"""

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

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
