"""The public lists' filters (django-filter), the same as the web pages' filter forms: each filter set validates
the query parameters, then hands them to the app's own selector, so the API finds exactly what the page finds.
A value a filter refuses answers 400 with the parameter and the reason (api/errors.py).

Help texts are for the API documentation (English, like the rest of docs/).
"""

import django_filters
from django.utils import timezone
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from applications import selectors as case_selectors
from applications import solution_selectors
from applications.models import Call, ProjectApplication, SolutionRegistration
from clusters import selectors as cluster_selectors
from clusters.models import Cluster, Round
from events import selectors as event_selectors
from events.models import Event
from kpis import selectors as indicator_selectors
from kpis.models import Indicator
from teams import selectors as team_selectors
from teams.models import PARTNER_ROLES, Team

SEARCH_MAX_LENGTH = 200


class SelectorFilterSet(django_filters.FilterSet):
    """Filters whose cleaned values are the keyword arguments of the selector named by `select`."""

    select = None

    def filter_queryset(self, queryset):
        chosen = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return type(self).select(**chosen)


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A cluster named by its short name (slug) in the query string."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="slug", **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "KR"})
class CountryFilter(django_filters.ChoiceFilter):
    """A country as its ISO 3166 code, any country django-countries knows."""


def _countries() -> list:
    return list(countries)


def _country_filter(help_text):
    # The choices as a function: read when a country is asked for, in the answer's language, instead of a list of
    # 250 countries that every request's filter form copied three times.
    return CountryFilter(choices=_countries, help_text=help_text)


def _thematic_cluster_filter():
    return SlugChoiceFilter(
        queryset=Cluster.objects.filter(kind=Cluster.Kind.THEMATIC),
        help_text="A thematic cluster's short name (its `slug`).",
    )


class ClusterFilter(SelectorFilterSet):
    select = staticmethod(cluster_selectors.cluster_catalogue)
    kind = django_filters.ChoiceFilter(choices=Cluster.Kind.choices, help_text="The kind of cluster.")
    status = django_filters.ChoiceFilter(choices=Cluster.Status.choices, help_text="Forming, active or closed.")

    class Meta:
        model = Cluster
        fields = []


class CaseFilter(SelectorFilterSet):
    select = staticmethod(case_selectors.case_library)
    q = django_filters.CharFilter(max_length=SEARCH_MAX_LENGTH, help_text="Words to look for in the cases.")
    cluster = _thematic_cluster_filter()
    country = _country_filter("The city's country, as an ISO 3166 code such as KR.")
    stage = django_filters.ChoiceFilter(choices=ProjectApplication.Stage.choices, help_text="The project's stage.")

    class Meta:
        model = ProjectApplication
        fields = []


class SolutionFilter(SelectorFilterSet):
    select = staticmethod(solution_selectors.solution_directory)
    q = django_filters.CharFilter(max_length=SEARCH_MAX_LENGTH, help_text="Words to look for in the solutions.")
    cluster = _thematic_cluster_filter()
    offering = django_filters.ChoiceFilter(
        choices=SolutionRegistration.Offering.choices, help_text="What the provider offers."
    )
    maturity = django_filters.ChoiceFilter(
        choices=SolutionRegistration.Maturity.choices, help_text="How far the solution has come."
    )
    country = _country_filter("A country where the solution is deployed, as an ISO 3166 code such as FR.")

    class Meta:
        model = SolutionRegistration
        fields = []


class EventFilter(django_filters.FilterSet):
    """Upcoming events unless `when` says otherwise, as the calendar pages list them."""

    class When:
        UPCOMING = "upcoming"
        PAST = "past"
        ALL = "all"

    when = django_filters.ChoiceFilter(
        choices=[(When.UPCOMING, "Upcoming"), (When.PAST, "Past"), (When.ALL, "All")],
        empty_label=None,
        help_text="Upcoming (the default), past or all events.",
        method="filter_nothing",
    )
    cluster = SlugChoiceFilter(queryset=Cluster.objects.all(), help_text="A related cluster's short name.")
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, help_text="The kind of event.")
    country = _country_filter("The venue's country, as an ISO 3166 code such as KR.")

    class Meta:
        model = Event
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset  # `when` picks the list in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        when = data.get("when") or self.When.UPCOMING
        events = {
            self.When.UPCOMING: Event.objects.upcoming,
            self.When.PAST: Event.objects.past,
            self.When.ALL: Event.objects.all,
        }[when]()
        # Filtered before event_listing counts the registrations, so a join cannot inflate the counts.
        if data.get("cluster"):
            events = events.filter(related_clusters=data["cluster"])
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("country"):
            events = events.filter(country=data["country"])
        return event_selectors.event_listing(events)


class IndicatorFilter(SelectorFilterSet):
    select = staticmethod(indicator_selectors.catalogue_listing)
    q = django_filters.CharFilter(max_length=SEARCH_MAX_LENGTH, help_text="Words in the indicator's name.")
    cluster = _thematic_cluster_filter()

    class Meta:
        model = Indicator
        fields = []


def _teams_looking_for_partners(*, q: str = "", **chosen):
    return team_selectors.team_directory(search=q.strip(), **chosen)


class TeamFilter(SelectorFilterSet):
    """The directory "Teams looking for partners": teams with an open role, as its web page filters them."""

    select = staticmethod(_teams_looking_for_partners)
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX_LENGTH, help_text="Words in the team's name, summary or lead organisation's name."
    )
    cluster = _thematic_cluster_filter()
    supercluster = SlugChoiceFilter(
        queryset=Cluster.objects.filter(kind=Cluster.Kind.SUPER), help_text="A SuperCluster's short name (its `slug`)."
    )
    role = django_filters.ChoiceFilter(choices=PARTNER_ROLES, help_text="A kind of partner the team is looking for.")
    country = _country_filter("The lead organisation's country, as an ISO 3166 code such as KR.")
    round = SlugChoiceFilter(queryset=Round.objects.all(), help_text="A GCTC round's short name (its `slug`).")

    class Meta:
        model = Team
        fields = []


class CallFilter(django_filters.FilterSet):
    """Open and announced calls unless `when` says otherwise, as the calls page lists them."""

    class When:
        CURRENT = "current"
        CLOSED = "closed"
        ALL = "all"

    when = django_filters.ChoiceFilter(
        choices=[(When.CURRENT, "Open and announced"), (When.CLOSED, "Closed"), (When.ALL, "All")],
        empty_label=None,
        help_text="Open and announced calls (the default), closed ones or all.",
        method="filter_nothing",
    )
    kind = django_filters.ChoiceFilter(choices=Call.Kind.choices, help_text="What the call asks for.")
    cluster = SlugChoiceFilter(
        queryset=Cluster.objects.filter(kind=Cluster.Kind.THEMATIC), help_text="A thematic cluster the call names."
    )

    class Meta:
        model = Call
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset  # `when` picks the list in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        when = data.get("when") or self.When.CURRENT
        now = timezone.now()
        calls = {
            self.When.CURRENT: lambda: case_selectors.calls_listed(now),
            self.When.CLOSED: lambda: case_selectors.calls_listed(None).filter(closes_at__lte=now),
            self.When.ALL: lambda: case_selectors.calls_listed(None),
        }[when]()
        if data.get("kind"):
            calls = calls.filter(kind=data["kind"])
        if data.get("cluster"):
            calls = calls.filter(clusters=data["cluster"])
        return calls
