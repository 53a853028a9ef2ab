"""Who may do what with clusters: named predicates used by services, views, templates and tests.

The clusters a user leads and the clusters their organisation belongs to are read once per request and
cached on the user object, so pages that test several permissions keep a constant number of queries. On
PostgreSQL they come with the signed-in person themselves (`with_cluster_roles`, used by the authentication
backend), so no page spends a query of its own on them.
"""

import rules
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef

from accounts.rules import is_organisation_admin, staff_holding

from .models import Cluster, ClusterMembership


def with_cluster_roles(people):
    """A User queryset whose people come with the ids of the clusters they lead and of the clusters their
    organisation is an active member of (read by `led_cluster_ids` and `member_cluster_ids` below), as ARRAY
    subqueries of the same query; unchanged where the database is not PostgreSQL (the development SQLite)."""
    if connection.vendor != "postgresql":
        return people
    return people.annotate(
        _led_cluster_list=ArraySubquery(
            Cluster.leaders.through.objects.filter(user_id=OuterRef("pk")).values("cluster_id")
        ),
        _member_cluster_list=ArraySubquery(
            ClusterMembership.objects.filter(
                status=ClusterMembership.Status.ACTIVE,
                organisation__memberships__user_id=OuterRef("pk"),
                organisation__memberships__status="active",
            ).values("cluster_id")
        ),
    )


def remember_cluster_roles(user) -> None:
    """Keep what `with_cluster_roles` read as this request's answers."""
    if hasattr(user, "_led_cluster_list"):
        user._led_cluster_ids = frozenset(user._led_cluster_list)
        user._member_cluster_ids = frozenset(user._member_cluster_list)


def led_cluster_ids(user) -> frozenset[int]:
    if not user or not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_led_cluster_ids"):
        user._led_cluster_ids = frozenset(user.led_clusters.values_list("pk", flat=True))
    return user._led_cluster_ids


def remember_led_cluster_ids(user, ids) -> None:
    """Record the clusters `user` leads when a page has read them anyway, sparing the query above."""
    user._led_cluster_ids = frozenset(ids)


def member_cluster_ids(user) -> frozenset[int]:
    """Clusters the user's organisation is an active member of."""
    if not user or not user.is_authenticated or user.organisation is None:
        return frozenset()
    if not hasattr(user, "_member_cluster_ids"):
        user._member_cluster_ids = frozenset(
            user.organisation.cluster_memberships.filter(status="active").values_list("cluster_id", flat=True)
        )
    return user._member_cluster_ids


# The back office's permissions for the same work (accounts/migrations/0003_staff_group.py).
staff_may_view_clusters = staff_holding("clusters.view_cluster")
staff_may_view_cluster_requests = staff_holding("clusters.view_clustermembership")
staff_may_decide_cluster_memberships = staff_holding("clusters.change_clustermembership")
staff_may_decline_theme_suggestions = staff_holding("clusters.change_themesuggestion")
staff_may_turn_suggestions_into_clusters = staff_holding("clusters.change_themesuggestion", "clusters.add_cluster")


@rules.predicate
def is_cluster_leader(user, cluster) -> bool:
    return cluster is not None and cluster.pk in led_cluster_ids(user)


@rules.predicate
def is_any_cluster_leader(user) -> bool:
    return bool(led_cluster_ids(user))


@rules.predicate
def is_cluster_member(user, cluster) -> bool:
    """The user acts for an organisation that is an active member of the cluster."""
    return cluster is not None and cluster.pk in member_cluster_ids(user)


@rules.predicate
def is_any_organisation_admin(user) -> bool:
    membership = user.active_membership if user and user.is_authenticated else None
    return membership is not None and membership.is_admin


@rules.predicate
def is_open_cluster(user, cluster) -> bool:
    return cluster is not None and not cluster.is_closed


@rules.predicate
def can_see_discussion_link(user, cluster) -> bool:
    return staff_may_view_clusters(user) or is_cluster_leader(user, cluster) or is_cluster_member(user, cluster)


@rules.predicate
def can_request_cluster_membership(user, cluster) -> bool:
    """An organisation's administrator asks for it; closed clusters take nobody new."""
    return is_any_organisation_admin(user) and is_open_cluster(user, cluster)


@rules.predicate
def can_decide_cluster_membership(user, membership) -> bool:
    """The secretariat, and the cluster's leaders once the secretariat has verified the organisation (until then
    its request waits, out of the leaders' sight)."""
    return staff_may_decide_cluster_memberships(user) or (
        is_cluster_leader(user, membership.cluster) and membership.organisation.is_verified
    )


@rules.predicate
def can_leave_cluster(user, membership) -> bool:
    return membership.is_active and is_organisation_admin(user, membership.organisation)


@rules.predicate
def can_withdraw_cluster_request(user, membership) -> bool:
    """A request still waiting for a decision: the organisation's administrators may take it back."""
    return membership.is_pending and is_organisation_admin(user, membership.organisation)


@rules.predicate
def can_see_cluster_requests(user, cluster) -> bool:
    """Pending requests and their motivations are private to the cluster's leaders and the secretariat."""
    return staff_may_view_cluster_requests(user) or is_cluster_leader(user, cluster)


# Rules, not permissions: Django grants every permission to superusers, second factor or not (accounts/rules.py).
rules.add_rule("clusters.see_discussion", can_see_discussion_link)
rules.add_rule("clusters.decide_membership", can_decide_cluster_membership)
rules.add_rule("clusters.see_requests", can_see_cluster_requests)
rules.add_rule("clusters.decline_theme_suggestion", staff_may_decline_theme_suggestions)
rules.add_rule("clusters.turn_theme_suggestion_into_cluster", staff_may_turn_suggestions_into_clusters)
rules.add_rule("clusters.is_any_cluster_leader", is_any_cluster_leader)
