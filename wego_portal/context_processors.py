from django.conf import settings
from django.utils.functional import SimpleLazyObject

from applications.rules import acts_for_a_city, acts_for_a_solution_provider
from clusters.rules import is_any_cluster_leader

from . import cache_versions

OWN_LINKS_SECONDS = 5 * 60


def portal(request):
    """Values every page needs: the secretariat's address for the footer, and which links to their own pages the
    signed-in person's navigation shows (worked out when a page draws it)."""
    return {
        "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL,
        "own_links": SimpleLazyObject(lambda: own_links(request.user)),
    }


def own_links(user) -> dict[str, bool]:
    """Which of "My applications" (acts for a city), "My solutions" (acts for a company, a nonprofit or a
    university) and the leader page (leads a cluster) the navigation offers `user`.

    They would cost two queries on most signed-in pages, so they are kept per person until an organisation, a
    membership or a cluster's leaders change (the public pages' stamp). They only choose links: each of those
    pages checks the rules itself.
    """
    if not user.is_authenticated:
        return {}
    return cache_versions.kept(
        f"own-links:{user.pk}",
        [cache_versions.PUBLIC_PAGES],
        lambda: {
            "applications": acts_for_a_city(user),
            "solutions": acts_for_a_solution_provider(user),
            "leader_page": is_any_cluster_leader(user),
        },
        OWN_LINKS_SECONDS,
    )
