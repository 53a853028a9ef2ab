"""Reads about events that pages share, each in a constant number of queries."""

from django.db.models import F, Prefetch, QuerySet

from clusters.models import Cluster

from .models import Event, Registration


def _clusters_prefetch() -> Prefetch:
    return Prefetch("related_clusters", queryset=Cluster.objects.only("pk", "name", "slug", "kind").order_by("name"))


def event_listing(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events for a list page: registration counts and related clusters without a query per row."""
    return events.with_registration_counts().prefetch_related(_clusters_prefetch())


def upcoming_events() -> QuerySet[Event]:
    return event_listing(Event.objects.upcoming())


def past_events() -> QuerySet[Event]:
    return event_listing(Event.objects.past())


def cluster_events(cluster: Cluster) -> QuerySet[Event]:
    """A cluster's events, the latest first."""
    return event_listing(cluster.events.order_by("-starts_at"))


def event_for_page(slug: str) -> QuerySet[Event]:
    return Event.objects.filter(slug=slug).with_registration_counts().prefetch_related(_clusters_prefetch())


def own_registration(*, event: Event, user) -> Registration | None:
    """The user's current registration for the event, else their latest cancelled one."""
    if not user.is_authenticated:
        return None
    current_first = F("cancelled_at").asc(nulls_first=True)
    return event.registrations.filter(user=user).order_by(current_first, "-created_at").first()


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the next person to get a place."""
    if not registration.is_waitlisted:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        waitlist_position__lte=registration.waitlist_position,
    ).count()


def registrations_of(user) -> QuerySet[Registration]:
    """A person's registrations, the next event first and past or cancelled ones after."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "organisation")
        .order_by("-event__starts_at", "-created_at")
    )
