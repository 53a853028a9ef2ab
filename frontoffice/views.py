from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_figures
from accounts.services import preferred_language_set
from clusters.models import Cluster
from clusters.selectors import cluster_figures
from core.caches import cache_public_page
from events.models import Event


@cache_public_page("home")
def home(request):
    """The programme in plain words, with figures counted live from the database."""
    clusters = Cluster.objects.open().filter(kind=Cluster.Kind.THEMATIC).order_by("status", "name")
    upcoming = Event.objects.upcoming()
    return render(
        request,
        "home.html",
        {
            "figures": {
                **organisation_figures(),
                **cluster_figures(),
                "upcoming_events": upcoming.count(),
            },
            "clusters": clusters,
            "next_events": upcoming[:3],
        },
    )


@require_POST
def set_language(request):
    """Django's language switch (the cookie, then the same page in the chosen language), and for a signed-in
    person also their preferred language, so e-mails and later visits follow.

    Django translates the page being left (`next`, else the Referer) by resolving its address in the language
    active now. The switch's own address has no prefix, so that is the cookie's or the person's language, not
    necessarily the page's: /en/clusters/ does not resolve in Korean and Django would send a Korean speaker
    back to it unchanged. Resolving it in its own prefix's language lands on /ko/clusters/."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Django also switches to any language it has a catalogue of (de, ja...), to addresses the portal does
        # not have (/de/...): without one of the portal's own, it only goes back to the page.
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    leaving = urlsplit(request.POST.get("next") or request.META.get("HTTP_REFERER") or "").path
    with translation.override(translation.get_language_from_path(leaving) or translation.get_language()):
        response = i18n.set_language(request)
    if request.user.is_authenticated and "language" in request.POST:
        preferred_language_set(user=request.user, language=language)
    return response
