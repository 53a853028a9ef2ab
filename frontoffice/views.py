from django.conf import settings
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.selectors import organisation_figures
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
    """Django's language switch (cookie, then the same page in the new language), and for a signed-in
    person also their preferred language, so e-mails and later visits follow."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response
