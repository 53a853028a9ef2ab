"""Reads that pages share, each in a constant number of queries whatever the number of rows."""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject

from accounts.models import Organisation
from core.languages import translation_columns
from core.queries import PreparedQuery, attach_related, child_rows_attach, with_child_rows

from .models import (
    ApplicationDocument,
    ApplicationHistory,
    Call,
    Kpi,
    Message,
    ProgressReport,
    ProjectApplication,
    Score,
)
from .workflow import SENT_STATUSES

SEARCH_CONFIG = "english"
# What the stored `search_document` holds (migration 0006's trigger computes it; 0002 indexed this expression).
SEARCH_VECTOR = SearchVector("title", "summary", "problem", "approach", "technologies", config=SEARCH_CONFIG)
SEARCH_DOCUMENT = F("search_document")
# The newest published cases of a cluster that similar_cases ranks.
SIMILAR_POOL = 100


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def text_search(queryset: QuerySet, text: str, *, fields=("title", "summary", "problem", "approach")) -> QuerySet:
    """Full-text search on PostgreSQL (ranked, web-search syntax); a simple substring filter elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    if _uses_postgres():
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.annotate(rank=SearchRank(SEARCH_DOCUMENT, query))
            .filter(search_document=query)
            .order_by("-rank", "-published_at")
        )
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def submissions_of(organisation: Organisation, *, model) -> QuerySet:
    """The organisation's project applications or solutions (`model`) for its "my" list, newest change first."""
    if model is ProjectApplication:
        # The cluster's name in every language: the page shows the reader's, or English where it is missing.
        shown, related, prefetched = ("title", "cluster__slug", *translation_columns("cluster__name")), ["cluster"], []
    else:
        shown, related, prefetched = ("name",), [], ["clusters"]
    return (
        model.objects.filter(organisation=organisation)
        .select_related("organisation", *related)
        .prefetch_related(*prefetched)
        .only(
            "pk",
            "status",
            "updated_at",
            "submitted_at",
            "organisation_id",
            # Whether it waits for the organisation to be verified (ReviewedSubmission.waits_for_verification).
            "organisation__name",
            "organisation__is_verified",
            *shown,
        )
        .order_by("-updated_at", "-pk")
    )


_LONG_RELATED_TEXTS = [
    f"{cluster}__{field}"
    for cluster in ("cluster", "action_cluster")
    for field in ("summary", "description", *translation_columns("summary", "description"))
] + ["call__description"]


# The worksheet's small lists of plain rows, read with the application's own query (two queries fewer): every
# reader of _for_page() gives them to the application with child_rows_attach.
_CHILD_ROWS = ("team", "partners_sought")


def _for_page() -> QuerySet[ProjectApplication]:
    applications = (
        ProjectApplication.objects.select_related(
            "organisation", "cluster", "action_cluster", "round", "created_by", "call"
        )
        # Not shown: the full-text index's copy of the text, and the long texts of the clusters and the call (in
        # every language), which made the page's main query twice as long to build and to read.
        .defer("search_document", *_LONG_RELATED_TEXTS)
    )
    return with_child_rows(applications, *_CHILD_ROWS)


# The application's page and the pages of its forms are what applicants and reviewers open most, and building
# these queries took as long as running them: each is built once per process (core.queries.PreparedQuery).
_APPLICATION = PreparedQuery(lambda pk: _for_page().filter(pk=pk))


def _to_show(pk: int) -> QuerySet[ProjectApplication]:
    applications = _for_page().filter(pk=pk)
    if _uses_postgres():
        teams = _teams_working_on().filter(application_id=OuterRef("pk"))
        applications = applications.annotate(gctc_teams=ArraySubquery(teams))
    return applications


_APPLICATION_TO_SHOW = PreparedQuery(_to_show)
_KPIS = PreparedQuery(lambda pk: Kpi.objects.select_related("indicator").filter(application_id=pk))
_DOCUMENTS = PreparedQuery(
    lambda pk: ApplicationDocument.objects.select_related("uploaded_by").filter(application_id=pk)
)
_HISTORY = PreparedQuery(lambda pk: ApplicationHistory.objects.select_related("actor").filter(application_id=pk))
_REPORTS = PreparedQuery(
    lambda pk: (
        ProgressReport.objects.select_related("evidence").filter(kpi__application_id=pk).order_by("-measured_on", "-pk")
    )
)


def application_for_page(pk: int) -> ProjectApplication:
    """The application with its KPIs (and their indicators), documents, team and partners sought: three queries."""
    application = _APPLICATION.get(pk)
    _attach_lists(application)
    return application


def application_to_show(pk: int) -> ProjectApplication:
    """application_for_page with its history, its KPIs' progress reports and the GCTC teams working on it, for the
    application's page: five queries."""
    application = _APPLICATION_TO_SHOW.get(pk)
    if not _uses_postgres():
        application.gctc_teams = list(_teams_working_on().filter(application_id=pk))
    kpis = _attach_lists(application)
    attach_related([application], "history", _HISTORY.list(pk))
    attach_related(kpis, "reports", _REPORTS.list(pk) if kpis else [])
    return application


def _attach_lists(application: ProjectApplication) -> list:
    """Read the lists every page of the application shows and give them to it as prefetched; returns its KPIs."""
    kpis = _KPIS.list(application.pk)
    attach_related([application], "kpis", kpis)
    attach_related([application], "documents", _DOCUMENTS.list(application.pk))
    child_rows_attach(application, *_CHILD_ROWS)
    return kpis


def _teams_working_on() -> QuerySet:
    """The current GCTC teams of an application, as {"pk", "name"}: the teams app sits above this one, so they are
    reached through the application's reverse relation (`teams`) rather than imported; on PostgreSQL they come with
    the application's own query."""
    team = ProjectApplication._meta.get_field("teams").related_model
    return team._default_manager.current().order_by("pk").values(team=JSONObject(pk="pk", name="name"))


def published_cases() -> QuerySet[ProjectApplication]:
    return (
        ProjectApplication.objects.published()
        .select_related("organisation", "cluster")
        .defer("problem", "approach", "technologies", "cybersecurity", "privacy", "funding_sources", "search_document")
        .order_by("-published_at", "-pk")
    )


# The parts of a worksheet that stay private unless the city ticked the consent field beside them.
PRIVATE_PARTS = {
    "publish_cybersecurity": ("cybersecurity", "privacy"),
    "publish_budget": ("budget", "funding_sources"),
    "publish_contact": ("contact_name", "contact_email", "contact_phone"),
}


def public_case(pk: int) -> ProjectApplication:
    """A published case for its public page, holding only what the city agreed to publish: the private parts
    are blanked on the instance (never saved), so no template or later change can show them."""
    case = (
        ProjectApplication.objects.published()
        .select_related("organisation", "cluster")
        .prefetch_related(Prefetch("kpis", queryset=Kpi.objects.select_related("indicator")), "team", "partners_sought")
        .defer("search_document")
        .get(pk=pk)
    )
    for consent, fields in PRIVATE_PARTS.items():
        if not getattr(case, consent):
            for field in fields:
                setattr(case, field, None if field == "budget" else "")
    return case


def published_cases_of(organisation: Organisation) -> QuerySet[ProjectApplication]:
    """An organisation's published cases, newest first, for its public profile."""
    return published_cases().filter(organisation=organisation)


def case_library(*, q: str = "", cluster=None, country: str = "", stage: str = "") -> QuerySet[ProjectApplication]:
    cases = published_cases()
    if cluster:
        cases = cases.filter(cluster=cluster)
    if country:
        cases = cases.filter(organisation__country=country)
    if stage:
        cases = cases.filter(stage=stage)
    return text_search(cases, q)


def case_countries() -> list[tuple[str, str]]:
    """Countries that have at least one published case, for the library's filter: one query over the published
    cases (a few hundred), and visitors get the whole library page from the page cache."""
    codes = (
        ProjectApplication.objects.published()
        .values_list("organisation__country", flat=True)
        .distinct()
        .order_by("organisation__country")
    )
    names = dict(Organisation._meta.get_field("country").get_choices(include_blank=False))
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])


def similar_cases(
    case: ProjectApplication, *, limit: int = 3, indicators=(), other_than_organisation: int | None = None
) -> list[ProjectApplication]:
    """Published cases of the same cluster, of its newest SIMILAR_POOL: those measuring most of `indicators`
    (catalogue ids) first, then those sharing most words with this one's title and summary; one query. Ranking reads
    each case's words, so it looks at a fixed number of cases (a cluster had 800 published ones at 20,000
    applications: 12 ms), and reads of the best only what a list of them shows."""
    newest = ProjectApplication.objects.published().filter(cluster_id=case.cluster_id).exclude(pk=case.pk)
    if other_than_organisation is not None:
        newest = newest.exclude(organisation_id=other_than_organisation)
    others = ProjectApplication.objects.filter(
        pk__in=newest.order_by("-published_at", "-pk").values("pk")[:SIMILAR_POOL]
    )
    order = []
    if indicators:
        measured = (
            Kpi.objects.filter(application_id=OuterRef("pk"), indicator_id__in=list(indicators))
            .order_by()
            .values("application_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        others = others.annotate(shared=Coalesce(Subquery(measured), 0))
        order.append("-shared")
    words = [w for w in re.findall(r"\w+", f"{case.title} {case.summary}".lower()) if len(w) > 3][:30]
    if _uses_postgres() and words:
        query = SearchQuery(" or ".join(words), search_type="websearch", config=SEARCH_CONFIG)
        others = others.annotate(rank=SearchRank(SEARCH_DOCUMENT, query))
        order.append("-rank")
    others = others.select_related("organisation").only(
        "pk", "title", "organisation__name", "organisation__country", "organisation__is_verified"
    )
    return list(others.order_by(*order, "-published_at", "-pk")[:limit])


def cluster_projects(cluster, *, limit: int = 6) -> list[ProjectApplication]:
    """Accepted projects of a cluster for its public page."""
    return list(
        ProjectApplication.objects.filter(cluster=cluster, status="accepted")
        .select_related("organisation")
        .only(
            "pk",
            "title",
            "summary",
            "stage",
            "published_at",
            "organisation__name",
            "organisation__country",
            "organisation__is_verified",
        )
        .order_by("-decided_at", "-pk")[:limit]
    )


# How many of a cluster's newest applications and solutions its leaders' page shows.
LEADER_PAGE_SUBMISSIONS = 5


def newest_submissions(cluster) -> list[ProjectApplication]:
    """For a leader page: the cluster's newest sent applications (on PostgreSQL from the `application_cluster_sent`
    index, a few entries)."""
    return _NEWEST_SUBMISSIONS.list(cluster.pk)


_NEWEST_SUBMISSIONS = PreparedQuery(  # the leader page's, built once per process
    # Those of organisations the secretariat has not verified yet wait (ReviewedSubmission.reached_leaders).
    lambda cluster_id: (
        ProjectApplication.objects.filter(cluster=cluster_id, status__in=SENT_STATUSES, organisation__is_verified=True)
        .select_related("organisation")
        .only(
            "pk",
            "title",
            "status",
            "submitted_at",
            "updated_at",
            "cluster_id",
            "organisation__name",
            "organisation__country",
            # The texts matchmaking ranks (matching.MATCHED_FIELDS): here rather than in a query of their own when
            # the page's matches are not in the cache.
            "problem",
            "approach",
            "technologies",
        )
        .order_by("-submitted_at", "-pk")[:LEADER_PAGE_SUBMISSIONS]
    )
)


def figures() -> dict[str, int]:
    return ProjectApplication.objects.aggregate(
        projects=Count("pk", filter=Q(status__in=SENT_STATUSES)),
        cases=Count("pk", filter=Q(published_at__isnull=False)),
    )


# --- Calls ----------------------------------------------------------------------------------------------

# The public calls page names this many of the calls that closed last, under the open and announced ones.
RECENTLY_CLOSED = 10


def _calls() -> QuerySet[Call]:
    return Call.objects.select_related("round").prefetch_related("clusters")


def calls_listed(now) -> QuerySet[Call]:
    """The public calls page: open and announced calls, the first to close first (paginated by the page); with
    `now` None, every call."""
    calls = _calls() if now is None else _calls().filter(closes_at__gt=now)
    return calls.order_by("closes_at", "pk")


def calls_recently_closed(now) -> list[Call]:
    return list(_calls().filter(closes_at__lte=now).order_by("-closes_at", "-pk")[:RECENTLY_CLOSED])


def call_for_page(slug: str) -> Call:
    return _calls().get(slug=slug)


def call_submissions_of(call: Call, organisation) -> list:
    """The organisation's own drafts and submissions for the call, newest first (for the call's page)."""
    if organisation is None:
        return []
    return list(call.submissions().filter(organisation=organisation).order_by("-updated_at", "-pk")[:20])


# --- Review scores ---------------------------------------------------------------------------------------


def review_board(submission) -> dict:
    """What staff read of a submission's review (an application's or a solution's), in three queries: the call's
    criteria, each assigned reviewer with their score of each criterion (`row`, None where not scored yet) and their
    weighted mean, and the same scores by criterion (`rows`: (criterion, every reviewer's score)) for a table with a
    column per reviewer."""
    criteria = list(submission.call.criteria.all())
    assignments = list(
        submission.review_assignments.select_related("reviewer").prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by())
        )
    )
    for assignment in assignments:
        given = {score.criterion_id: score for score in assignment.scores.all()}
        assignment.row = [given.get(criterion.pk) for criterion in criteria]
        weights = sum(c.weight for c, score in zip(criteria, assignment.row, strict=True) if score)
        assignment.mean = (
            sum(c.weight * score.value for c, score in zip(criteria, assignment.row, strict=True) if score) / weights
            if weights
            else None
        )
    # The table's rows: each criterion with every reviewer's score of it, in the reviewers' order.
    rows = [(criterion, [a.row[index] for a in assignments]) for index, criterion in enumerate(criteria)]
    return {"criteria": criteria, "assignments": assignments, "rows": rows}


def own_review(submission, reviewer) -> dict:
    """The call's criteria and the reviewer's saved scores of the submission, {criterion id: Score}."""
    scores = Score.objects.filter(
        **{f"assignment__{submission.submission_name}": submission}, assignment__reviewer=reviewer
    )
    return {
        "criteria": list(submission.call.criteria.all()),
        "scores": {score.criterion_id: score for score in scores},
    }


def reviews_of(reviewer) -> QuerySet:
    """The reviewer's assignments, applications and solutions, those waiting for their scores first, with what the
    "My reviews" page shows."""
    return (
        reviewer.reviews.select_related(
            "application__organisation", "application__call", "solution__organisation", "solution__call"
        )
        .defer("application__search_document")
        .order_by(F("completed_at").asc(nulls_first=True), "-assigned_at", "-pk")
    )


# --- The conversation on a submission -------------------------------------------------------------------

# A submission's page shows this many of its latest messages, with a link to the earlier ones.
CONVERSATION_PAGE = 30


def conversation_page(submission, *, internal: bool, before: int | None = None) -> dict:
    """The latest messages of the submission's conversation (before the message `before`, when given), oldest first,
    with their authors and files, and whether earlier ones exist: one query whatever the conversation's length.
    `internal`: the reader is a reviewer, who reads the internal notes too."""
    messages = Message.objects.about(submission).select_related("author", "attachment")
    if not internal:
        messages = messages.filter(internal=False)
    if before is not None:
        messages = messages.filter(pk__lt=before)
    # Newest first by id (a submission's few rows, found through its foreign key's index), then shown oldest first.
    latest = list(messages.order_by("-pk")[: CONVERSATION_PAGE + 1])
    earlier = len(latest) > CONVERSATION_PAGE
    shown = latest[:CONVERSATION_PAGE][::-1]
    return {"messages": shown, "earlier_before": shown[0].pk if earlier and shown else None}
