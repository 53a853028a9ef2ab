from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.rules import has_public_profile
from accounts.selectors import organisation_figures
from accounts.services import preferred_language_set
from applications import selectors as case_selectors
from applications import solution_selectors
from clusters import selectors as cluster_selectors
from clusters.models import Cluster
from clusters.selectors import cluster_figures
from core.caches import cache_public_page
from events.models import Event
from teams import selectors as team_selectors

from .models import ProgrammeContacts


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


def _worksheet_downloads() -> list[dict]:
    """The worksheet and its example in every language, the page's own first."""
    current = get_language()
    downloads = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            downloads.append(
                {
                    "code": code,
                    "name": translation.get_language_info(code)["name_local"],
                    "template": reverse("applications:worksheet", args=["template"]),
                    "example": reverse("applications:worksheet", args=["example"]),
                    "current": code == current,
                }
            )
    return sorted(downloads, key=lambda download: not download["current"])


@cache_public_page("take-part")
def take_part(request):
    """The steps for cities and for companies, the worksheet in four languages, and whom to ask."""
    return render(
        request,
        "frontoffice/take_part.html",
        {"downloads": _worksheet_downloads(), "contacts": ProgrammeContacts.load()},
    )


PROFILE_PAGE_SIZE = 20


def _profile_page(request, queryset, parameter: str):
    """One of the profile's lists, a page at a time under its own query parameter (?cases=2)."""
    return Paginator(queryset, PROFILE_PAGE_SIZE).get_page(request.GET.get(parameter))


@cache_public_page("organisations")
def organisation_profile(request, pk: int):
    """What an organisation does in the programme, from public data only: its clusters (teams among them), its
    published cases and approved solutions. Verified organisations only (accounts.rules.has_public_profile)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not has_public_profile(organisation):
        raise Http404
    return render(
        request,
        "frontoffice/organisation_profile.html",
        {
            "organisation": organisation,
            "memberships": _profile_page(request, cluster_selectors.public_memberships_of(organisation), "clusters"),
            "cases": _profile_page(request, case_selectors.published_cases_of(organisation), "cases"),
            "solutions": _profile_page(request, solution_selectors.approved_solutions_of(organisation), "solutions"),
            "teams": _profile_page(request, team_selectors.teams_of_organisation(organisation), "teams"),
        },
    )
