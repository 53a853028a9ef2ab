"""Reads of solution registrations that pages share, each in a constant number of queries."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_countries import countries

from core.queries import PreparedQuery

from .models import Deployment, SolutionBrochure, SolutionHistory, SolutionRegistration
from .selectors import LEADER_PAGE_SUBMISSIONS
from .workflow import SENT_STATUSES, Status

SEARCH_CONFIG = "english"
# The same expression as the GIN index of migration 0003, so PostgreSQL uses the index.
SOLUTION_SEARCH_VECTOR = SearchVector("name", "summary", "description", config=SEARCH_CONFIG)
SolutionCluster = SolutionRegistration.clusters.through


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _for_page() -> QuerySet[SolutionRegistration]:
    return SolutionRegistration.objects.select_related("organisation", "created_by", "call").prefetch_related(
        "clusters",
        "deployments",
        Prefetch("brochures", queryset=SolutionBrochure.objects.select_related("uploaded_by")),
    )


def solution_for_page(pk: int) -> SolutionRegistration:
    return _for_page().get(pk=pk)


def solution_to_show(pk: int) -> SolutionRegistration:
    """solution_for_page with its history, for its printable copy."""
    return (
        _for_page()
        .prefetch_related(Prefetch("history", queryset=SolutionHistory.objects.select_related("actor")))
        .get(pk=pk)
    )


def approved_solutions() -> QuerySet[SolutionRegistration]:
    return (
        SolutionRegistration.objects.approved()
        .select_related("organisation")
        .defer("description", "standards")
        .prefetch_related("clusters")
        .order_by("-decided_at", "-pk")
    )


def approved_solutions_of(organisation) -> QuerySet[SolutionRegistration]:
    """An organisation's approved solutions, newest first, for its public profile."""
    return approved_solutions().filter(organisation=organisation)


def solution_search(queryset: QuerySet[SolutionRegistration], text: str) -> QuerySet[SolutionRegistration]:
    """Full-text search on PostgreSQL (ranked, web-search syntax); a simple substring filter elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    if uses_postgres():
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.annotate(search=SOLUTION_SEARCH_VECTOR, rank=SearchRank(SOLUTION_SEARCH_VECTOR, query))
            .filter(search=query)
            .order_by("-rank", "-decided_at", "-pk")
        )
    return queryset.filter(Q(name__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text))


def solution_directory(
    *, q: str = "", cluster=None, offering: str = "", maturity: str = "", country: str = ""
) -> QuerySet[SolutionRegistration]:
    """Approved solutions for the public directory, filtered; each solution appears once."""
    solutions = approved_solutions()
    if cluster:
        solutions = solutions.filter(
            Exists(SolutionCluster.objects.filter(solutionregistration_id=OuterRef("pk"), cluster=cluster))
        )
    if offering:
        solutions = solutions.filter(offering=offering)
    if maturity:
        solutions = solutions.filter(maturity=maturity)
    if country:
        solutions = solutions.filter(Exists(Deployment.objects.filter(solution_id=OuterRef("pk"), country=country)))
    return solution_search(solutions, q)


def deployment_countries() -> list[tuple[str, str]]:
    """Countries where at least one approved solution is deployed, for the directory's filter."""
    codes = (
        Deployment.objects.filter(solution__status=Status.ACCEPTED)
        .values_list("country", flat=True)
        .distinct()
        .order_by("country")
    )
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda pair: pair[1])


def cluster_solutions(cluster, *, limit: int = 6) -> list[SolutionRegistration]:
    """Approved solutions serving a cluster, for its public page."""
    return list(
        SolutionRegistration.objects.approved()
        .filter(Exists(SolutionCluster.objects.filter(solutionregistration_id=OuterRef("pk"), cluster=cluster)))
        .select_related("organisation")
        .only(
            "pk",
            "name",
            "summary",
            "offering",
            "maturity",
            "organisation__name",
            "organisation__country",
            "organisation__is_verified",
        )
        .order_by("-decided_at", "-pk")[:limit]
    )


def newest_solutions(cluster) -> list[SolutionRegistration]:
    """For a leader page: the cluster's newest sent solutions."""
    return [link.solutionregistration for link in _NEWEST_SOLUTIONS.list(cluster.pk)]


_NEWEST_SOLUTIONS = PreparedQuery(  # the leader page's, built once per process
    # Those of organisations the secretariat has not verified yet wait (ReviewedSubmission.reached_leaders).
    # Every sent solution has its date: saying so lets the cluster's reading start after the drafts, which
    # have none and come first in the index read newest first (747 drafts passed over a cluster before).
    lambda cluster_id: (
        SolutionCluster.objects.filter(
            cluster=cluster_id,
            solutionregistration__status__in=SENT_STATUSES,
            solutionregistration__submitted_at__isnull=False,
            solutionregistration__organisation__is_verified=True,
        )
        .select_related("solutionregistration__organisation")
        .only(
            "cluster_id",
            "solutionregistration__id",
            "solutionregistration__name",
            "solutionregistration__status",
            "solutionregistration__submitted_at",
            "solutionregistration__offering",
            "solutionregistration__organisation__name",
            "solutionregistration__organisation__country",
        )
        .order_by("-solutionregistration__submitted_at", "-solutionregistration_id")[:LEADER_PAGE_SUBMISSIONS]
    )
)
