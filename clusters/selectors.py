"""Reads about clusters that pages share, each in a constant number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation

from accounts.models import Organisation
from core.languages import translation_columns
from core.queries import PreparedQuery

from .models import Cluster, ClusterEmailPreference, ClusterMembership, ThemeSuggestion

# The order the catalogue shows things in: WeGO's own clusters first, active before forming, closed last.
KIND_ORDER = [Cluster.Kind.THEMATIC, Cluster.Kind.SUPER, Cluster.Kind.ACTION]
STATUS_ORDER = [Cluster.Status.ACTIVE, Cluster.Status.FORMING, Cluster.Status.CLOSED]
ORGANISATION_KIND_ORDER = [
    Organisation.Kind.CITY,
    Organisation.Kind.COMPANY,
    Organisation.Kind.NONPROFIT,
    Organisation.Kind.ACADEMIA,
    Organisation.Kind.OTHER,
]


def _position(field: str, values: list) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _leaders_prefetch() -> Prefetch:
    return Prefetch("leaders", queryset=get_user_model().objects.only("pk", "full_name", "job_title", "is_active"))


def cluster_figures() -> dict[str, int]:
    """How many WeGO thematic clusters and GCTC action clusters are open (forming or active), in one query."""
    return Cluster.objects.open().aggregate(
        clusters=Count("pk", filter=Q(kind=Cluster.Kind.THEMATIC)),
        action_clusters=Count("pk", filter=Q(kind=Cluster.Kind.ACTION)),
        superclusters=Count("pk", filter=Q(kind=Cluster.Kind.SUPER)),
    )


def with_member_count(queryset: QuerySet[Cluster]) -> QuerySet[Cluster]:
    return queryset.annotate(member_count=Count("memberships", filter=Q(memberships__status="active"), distinct=True))


def cluster_catalogue(*, kind: str = "", status: str = "") -> QuerySet[Cluster]:
    """Every cluster in catalogue order, with its member count, leaders and SuperCluster."""
    clusters = (
        with_member_count(Cluster.objects.all())
        .annotate(kind_position=_position("kind", KIND_ORDER), status_position=_position("status", STATUS_ORDER))
        .select_related("supercluster")
        .prefetch_related(_leaders_prefetch())
        .order_by("kind_position", "status_position", "name")
    )
    if kind:
        clusters = clusters.filter(kind=kind)
    if status:
        clusters = clusters.filter(status=status)
    return clusters


def cluster_for_page(slug: str) -> QuerySet[Cluster]:
    return Cluster.objects.filter(slug=slug).select_related("supercluster").prefetch_related(_leaders_prefetch())


def action_clusters_of(supercluster: Cluster) -> QuerySet[Cluster]:
    return with_member_count(supercluster.action_clusters.all()).prefetch_related(_leaders_prefetch()).order_by("name")


def cluster_members(cluster: Cluster) -> QuerySet[ClusterMembership]:
    """Active member organisations, cities first, then companies, nonprofits, academia and the rest."""
    return (
        cluster.memberships.filter(status=ClusterMembership.Status.ACTIVE)
        .select_related("organisation")
        # What the page shows of each: the organisation's name, kind and place.
        .only(
            "cluster_id",
            "organisation__name",
            "organisation__kind",
            "organisation__city",
            "organisation__country",
            "organisation__is_verified",
        )
        .annotate(kind_position=_position("organisation__kind", ORGANISATION_KIND_ORDER))
        .order_by("kind_position", "organisation__name")
    )


def public_memberships_of(organisation: Organisation) -> QuerySet[ClusterMembership]:
    """The clusters an organisation is an active member of, as its public profile lists them: thematic clusters,
    then SuperClusters and GCTC action clusters (its teams), by name."""
    return (
        organisation.cluster_memberships.filter(status=ClusterMembership.Status.ACTIVE)
        .select_related("cluster")
        .only(
            "organisation_id",
            "decided_at",
            "cluster__slug",
            "cluster__kind",
            "cluster__status",
            *translation_columns("cluster__name"),
        )
        .annotate(kind_position=_position("cluster__kind", KIND_ORDER))
        .order_by("kind_position", "cluster__name", "pk")
    )


def member_counts_by_kind(cluster: Cluster) -> dict[str, int]:
    rows = (
        cluster.memberships.filter(status=ClusterMembership.Status.ACTIVE)
        .values_list("organisation__kind")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


@dataclass
class MemberGroup:
    kind: str
    label: str
    total: int
    memberships: list[ClusterMembership]


def group_members_by_kind(memberships, counts: dict[str, int]) -> list[MemberGroup]:
    """Group one page of members under headings that show the whole cluster's total for each kind."""
    groups: dict[str, MemberGroup] = {}
    for membership in memberships:
        kind = membership.organisation.kind
        if kind not in groups:
            groups[kind] = MemberGroup(kind, Organisation.Kind(kind).label, counts.get(kind, 0), [])
        groups[kind].memberships.append(membership)
    return list(groups.values())


def latest_membership_of(*, cluster: Cluster, organisation: Organisation | None) -> ClusterMembership | None:
    """The organisation's most recent request or membership for this cluster, to say where it stands."""
    if organisation is None:
        return None
    return (
        ClusterMembership.objects.filter(cluster=cluster, organisation=organisation)
        .select_related("organisation")
        .order_by("-requested_at", "-pk")
        .first()
    )


# How many pending requests and members the leader page shows of its cluster before pointing elsewhere, and how
# many requests a page of all the cluster's requests shows.
LEADER_PAGE_PENDING = 5
LEADER_PAGE_MEMBERS = 10
LEADER_PAGE_REQUESTS_PER_PAGE = 25


def requests_leaders_see() -> QuerySet[ClusterMembership]:
    """The requests to join that wait for a cluster's leaders: those of organisations the secretariat has verified
    (the others wait for that first). LEADERS_SEE_REQUEST_OF says the same of a cluster's memberships."""
    return ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING, organisation__is_verified=True)


LEADERS_SEE_REQUEST_OF = Q(
    memberships__status=ClusterMembership.Status.PENDING, memberships__organisation__is_verified=True
)


def leaders_pending_count(cluster: Cluster) -> int:
    """How many requests to join `cluster` wait for its leaders' decision."""
    return requests_leaders_see().filter(cluster=cluster).count()


def clusters_led_by(user) -> list[Cluster]:
    """The user's clusters, with their member and pending counts and how the user is e-mailed about each."""
    return _LED.list(user.pk)


def _led_by(user_id: int) -> QuerySet[Cluster]:
    email_frequency = ClusterEmailPreference.objects.filter(user=user_id, cluster=OuterRef("pk")).values("frequency")
    return (
        # Without the theme's texts in every language, which the page does not show: the counts group a row per
        # membership, and those texts made each row 2.6 kB to sort.
        with_member_count(
            Cluster.objects.filter(leaders=user_id).defer(
                "summary", "description", *translation_columns("summary", "description")
            )
        )
        .annotate(
            pending_count=Count("memberships", filter=LEADERS_SEE_REQUEST_OF, distinct=True),
            email_frequency=Coalesce(
                Subquery(email_frequency[:1]), Value(ClusterEmailPreference.Frequency.IMMEDIATE.value)
            ),
        )
        .order_by("name")
    )


def pending_requests_of(cluster: Cluster) -> QuerySet[ClusterMembership]:
    """Every request waiting to join `cluster`, oldest first, for a leader to decide."""
    return (
        requests_leaders_see()
        .filter(cluster=cluster)
        .select_related("organisation", "requested_by")
        .only(
            "cluster_id",
            "motivation",
            "requested_at",
            "organisation__name",
            "organisation__kind",
            "organisation__city",
            "organisation__country",
            "requested_by__full_name",
            "requested_by__email",
        )
        .order_by("requested_at", "pk")
    )


def oldest_requests_of(cluster: Cluster) -> list[ClusterMembership]:
    """The first few requests of pending_requests_of, for its leaders' page."""
    return _OLDEST_REQUESTS.list(cluster.pk)


def newest_members_of(cluster: Cluster) -> list[ClusterMembership]:
    """The cluster's newest members, for its leaders' page."""
    return _NEWEST_MEMBERS.list(cluster.pk)


# The leader page's reads, each built once per process (core.queries.PreparedQuery): building them took longer than
# running them.
_LED = PreparedQuery(_led_by)
_OLDEST_REQUESTS = PreparedQuery(lambda cluster_id: pending_requests_of(cluster_id)[:LEADER_PAGE_PENDING])
_NEWEST_MEMBERS = PreparedQuery(
    lambda cluster_id: (
        ClusterMembership.objects.filter(cluster=cluster_id, status=ClusterMembership.Status.ACTIVE)
        .select_related("organisation")
        .only("cluster_id", "decided_at", "organisation__name", "organisation__kind")
        .order_by("-decided_at", "-pk")[:LEADER_PAGE_MEMBERS]
    )
)


def theme_suggestions_of(user) -> QuerySet[ThemeSuggestion]:
    return user.theme_suggestions.select_related("cluster").order_by("-created_at")


def leaders_email_options(pairs) -> dict[tuple[int, int], dict | None]:
    """For each (leader, cluster) of `pairs`, by (leader pk, cluster pk): the `email_queue` arguments of an e-mail
    to the leader about the cluster, following their choice (held for the daily digest, or sent at once), or None
    when they chose no e-mails about it. The choices are read in one query however many leaders and clusters an
    event reaches (a solution's conversation reaches the leaders of each of its clusters)."""
    pairs = list(pairs)
    chosen = {}
    if pairs:
        preferences = ClusterEmailPreference.objects.filter(
            user__in={user.pk for user, _cluster in pairs}, cluster__in={cluster.pk for _user, cluster in pairs}
        ).values_list("user", "cluster", "frequency")
        chosen = {(user, cluster): frequency for user, cluster, frequency in preferences}
    return {
        (user.pk, cluster.pk): _email_options(
            user, cluster, chosen.get((user.pk, cluster.pk), ClusterEmailPreference.Frequency.IMMEDIATE)
        )
        for user, cluster in pairs
    }


def _email_options(user, cluster, frequency: str) -> dict | None:
    """Such an e-mail can be turned off from itself (the "cluster:<pk>" scope, read by clusters.views.unsubscribe);
    its topic is the cluster's name in the leader's language, the heading of its section in a digest."""
    if frequency == ClusterEmailPreference.Frequency.OFF:
        return None
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        topic = str(cluster.name)
    return {
        "hold_for_digest": frequency == ClusterEmailPreference.Frequency.DAILY,
        "topic": topic,
        "unsubscribe": unsubscribe_scope(cluster),
    }


def unsubscribe_scope(cluster) -> str:
    return f"cluster:{cluster.pk}"


def clusters_of_unsubscribe_scopes(scopes) -> list[Cluster]:
    """The clusters an unsubscribe link names ("cluster:<pk>" scopes; anything else is ignored)."""
    ids = [int(scope[8:]) for scope in scopes if scope.startswith("cluster:") and scope[8:].isdigit()]
    return list(Cluster.objects.filter(pk__in=ids).order_by("name"))


def leader_email_choices(user) -> list[tuple[Cluster, str]]:
    """Each cluster `user` leads, with how they chose to hear about it (the label of their choice)."""
    chosen = dict(user.cluster_email_preferences.values_list("cluster_id", "frequency"))
    labels = dict(ClusterEmailPreference.Frequency.choices)
    default = ClusterEmailPreference.Frequency.IMMEDIATE
    return [(cluster, labels[chosen.get(cluster.pk, default)]) for cluster in user.led_clusters.order_by("name")]


def unsubscribe_person(user_id: int):
    """The active person an unsubscribe link was made for, or None."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()
