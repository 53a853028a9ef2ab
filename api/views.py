"""The public read API: clusters, events, published cases and approved solutions.

Each list runs the app's own selector through its filter set (api/filters.py), so it finds what the web page
finds; each item answers 404 where its web page does (the same rules.py predicates, for a visitor). Lists
and items take a constant number of queries whatever the number of rows.
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination

from applications import benchmarks, solution_selectors
from applications import selectors as case_selectors
from applications.kinds import SOLUTION
from applications.models import Call, Kpi
from clusters import selectors as cluster_selectors
from clusters.models import Round
from events import selectors as event_selectors
from events.models import Event
from kpis.models import Indicator
from teams import selectors as team_selectors

from . import filters, serializers
from .base import LANGUAGE_PARAMETER, MAX_PAGE_SIZE, PAGE_SIZE, PublicReadViewSet, language_codes

# Addresses of items: anything else is no item (a JSON 404 from api/urls.py), and a number too large for the
# database never reaches it.
SLUG = r"[-a-zA-Z0-9_]{1,100}"
NUMBER = r"[0-9]{1,18}"

LANGUAGE = OpenApiParameter(
    LANGUAGE_PARAMETER,
    str,
    enum=language_codes(),
    description="The language of the answer; without it, the Accept-Language header's (English by default).",
)


ERROR = serializers.ErrorSerializer
LIST_ERRORS = {
    400: OpenApiResponse(ERROR, description="A filter, page size or language that is not one."),
    404: OpenApiResponse(ERROR, description="A cursor that is not one of this list's."),
    429: OpenApiResponse(ERROR, description="Over the client's rate: wait for Retry-After seconds."),
}
ITEM_ERRORS = {**LIST_ERRORS, 404: OpenApiResponse(ERROR, description="No such public item.")}
NOT_MODIFIED = {304: OpenApiResponse(description="Unchanged since the ETag sent in If-None-Match.")}


def _public(tag: str, *, list_summary: str, item_summary: str, list_description: str = ""):
    """The schema of a public list and its items, from the view set's `serializer_class` and
    `item_serializer_class`."""

    def document(viewset):
        return extend_schema_view(
            list=extend_schema(
                tags=[tag],
                summary=list_summary,
                description=list_description,
                parameters=[LANGUAGE],
                responses={200: viewset.serializer_class(many=True), **NOT_MODIFIED, **LIST_ERRORS},
            ),
            retrieve=extend_schema(
                tags=[tag],
                summary=item_summary,
                parameters=[LANGUAGE],
                responses={
                    200: viewset.item_serializer_class or viewset.serializer_class,
                    **NOT_MODIFIED,
                    **ITEM_ERRORS,
                },
            ),
        )(viewset)

    return document


@_public(
    "clusters",
    list_summary="Thematic clusters, GCTC action clusters and SuperClusters",
    item_summary="One cluster",
)
class ClusterViewSet(PublicReadViewSet):
    page_cache = "catalogue"
    serializer_class = serializers.ClusterSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ClusterFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    cursor_ordering = ("slug",)

    def get_queryset(self):
        return cluster_selectors.cluster_catalogue()

    def get_item(self, lookup):
        return cluster_selectors.with_member_count(cluster_selectors.cluster_for_page(lookup)).first()


@_public(
    "events",
    list_summary="Events of the GCTC and WeGO calendar",
    list_description="Upcoming events (the soonest first) unless `when` asks for past (the latest first) or all.",
    item_summary="One event",
)
class EventViewSet(PublicReadViewSet):
    page_cache = "events"
    serializer_class = serializers.EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.EventFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return Event.objects.all()

    def get_cursor_ordering(self):
        if self.request.query_params.get("when") == filters.EventFilter.When.PAST:
            return ("-starts_at", "-pk")
        return ("starts_at", "pk")

    def get_item(self, lookup):
        return event_selectors.event_for_page(lookup).first()


@_public(
    "cases",
    list_summary="Published best-practice cases, with their KPIs",
    list_description="The case library: projects that cities agreed to publish, the newest first.",
    item_summary="One published case",
)
class CaseViewSet(PublicReadViewSet):
    page_cache = "cases"
    serializer_class = serializers.CaseSerializer
    item_serializer_class = serializers.CaseDetailSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CaseFilter
    lookup_value_regex = NUMBER
    cursor_ordering = ("-published_at", "-pk")

    def get_queryset(self):
        return case_selectors.published_cases()

    def filter_queryset(self, queryset):
        kpis = Kpi.objects.select_related("indicator")
        return super().filter_queryset(queryset).prefetch_related(Prefetch("kpis", queryset=kpis))

    def get_item(self, lookup):
        # Only what the city agreed to publish: the private parts come blanked (selectors.public_case).
        return case_selectors.public_case(int(lookup))


@_public(
    "solutions",
    list_summary="Approved solutions of companies, nonprofits and academia",
    list_description="The solutions directory, the latest approved first.",
    item_summary="One approved solution",
)
class SolutionViewSet(PublicReadViewSet):
    page_cache = "solutions"
    serializer_class = serializers.SolutionSerializer
    item_serializer_class = serializers.SolutionDetailSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.SolutionFilter
    lookup_value_regex = NUMBER
    cursor_ordering = ("-decided_at", "-pk")

    def get_queryset(self):
        return solution_selectors.approved_solutions()

    def get_item(self, lookup):
        solution = solution_selectors.solution_for_page(int(lookup))
        # The solution's page is public once approved: what a visitor may see (applications/rules.py).
        return solution if rules.test_rule(SOLUTION.view_rule, AnonymousUser(), solution) else None


class RankPages(PageNumberPagination):
    """A benchmark's rows are ranked as a whole (improvement, then progress), so they are pages of that ranking."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


@_public(
    "indicators",
    list_summary="The indicator catalogue: what projects measure and compare",
    item_summary="One indicator",
)
class IndicatorViewSet(PublicReadViewSet):
    page_cache = "benchmarks"
    serializer_class = serializers.IndicatorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.IndicatorFilter
    lookup_value_regex = NUMBER
    cursor_ordering = ("pk",)

    def get_queryset(self):
        return Indicator.objects.catalogue()

    def get_item(self, lookup):
        return benchmarks.catalogue_indicator(int(lookup))

    @extend_schema(
        tags=["indicators"],
        summary="An indicator's benchmark: every published project measuring it, ranked",
        description="As the indicator's benchmark page ranks them: the best improvement first.",
        parameters=[LANGUAGE],
        responses={200: serializers.BenchmarkRowSerializer(many=True), **NOT_MODIFIED, **ITEM_ERRORS},
    )
    @action(detail=True, pagination_class=RankPages, filter_backends=[])
    def benchmark(self, request, pk=None):
        # What a visitor's benchmark page shows: published cases only (applications/benchmarks.py).
        indicator = self.get_object()
        kpis = self.paginate_queryset(benchmarks.Ranking(indicator, AnonymousUser()))
        page = benchmarks.ranked_rows(indicator, kpis, first_rank=self.paginator.page.start_index())
        return self.get_paginated_response(
            serializers.BenchmarkRowSerializer(page, many=True, context={"request": request}).data
        )


@_public(
    "teams",
    list_summary="GCTC rounds",
    item_summary="One round, with its key events and its figures",
)
class RoundViewSet(PublicReadViewSet):
    serializer_class = serializers.RoundSerializer
    item_serializer_class = serializers.RoundDetailSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    cursor_ordering = ("-year", "slug")

    def get_queryset(self):
        return Round.objects.all()

    def get_item(self, lookup):
        round_ = Round.objects.filter(slug=lookup).first()
        if round_ is not None:
            round_.figures = team_selectors.round_figures(round_)
            round_.key_event_slugs = list(round_.key_events.order_by("starts_at", "pk").values_list("slug", flat=True))
        return round_


@_public(
    "teams",
    list_summary="GCTC action-cluster teams looking for partners",
    list_description="The directory: teams with an open role, the newest first, as its web page filters them.",
    item_summary="One team's public part: members and roles, open roles, milestones",
)
class TeamViewSet(PublicReadViewSet):
    serializer_class = serializers.TeamSerializer
    item_serializer_class = serializers.TeamDetailSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.TeamFilter
    lookup_value_regex = NUMBER
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return team_selectors.team_directory()

    def get_item(self, lookup):
        team = team_selectors.team_for_page(int(lookup))
        # A duplicate merged into another is no team of its own any more: its page sends visitors on.
        return None if team.merged_into_id else team


@_public(
    "calls",
    list_summary="Calls for project applications and solutions, with their deadlines",
    list_description="Open and announced calls (the first to close first) unless `when` asks for closed or all.",
    item_summary="One call",
)
class CallViewSet(PublicReadViewSet):
    serializer_class = serializers.CallSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CallFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG
    cursor_ordering = ("closes_at", "pk")

    def get_queryset(self):
        return Call.objects.all()

    def get_item(self, lookup):
        return case_selectors.call_for_page(lookup)
