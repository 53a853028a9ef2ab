from django.conf import settings
from django.utils.functional import SimpleLazyObject

from applications.rules import acts_for_a_city, acts_for_a_solution_provider
from clusters.rules import is_any_cluster_leader


def portal(request):
    """Values every page needs: the secretariat's address for the footer, and which links to their own pages the
    signed-in person's navigation shows (worked out when a page draws it)."""
    return {
        "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL,
        "own_links": SimpleLazyObject(lambda: own_links(request.user)),
    }


def own_links(user) -> dict[str, bool]:
    """Which of "My applications" (acts for a city), "My solutions" (acts for a company, a nonprofit or a
    university), "My teams" (belongs to an organisation), the leader page (leads a cluster) and "My reviews"
    (leads a cluster or is staff) the navigation offers `user`.

    Read on every signed-in page, never cached: the organisation is the one the navigation names anyway, the
    led clusters one small query that the page's own rules then reuse (clusters.rules.led_cluster_ids).
    """
    if not user.is_authenticated:
        return {}
    leader = is_any_cluster_leader(user)
    return {
        "applications": acts_for_a_city(user),
        "solutions": acts_for_a_solution_provider(user),
        "teams": user.organisation is not None,
        "leader_page": leader,
        # Reviewers are leaders and secretariat staff: no query of its own.
        "reviews": leader or user.is_staff,
    }
