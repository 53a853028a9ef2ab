"""Benchmarks: the projects that measure the same catalogue indicator, compared in its unit and ranked.

Reads only (selectors). Who sees which project is written once, in `_visible_parts`: the public sees published
cases; a member or leader of a cluster sees every project sent to it; a city sees its own; the secretariat all.
Each page costs a fixed number of queries whatever the number of projects and reports (tests/kpis).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import Organisation
from clusters.models import Cluster
from clusters.rules import led_cluster_ids, member_cluster_ids
from core import caches
from kpis import charts, figures, units
from kpis.figures import measure
from kpis.models import Indicator

from .models import Kpi, ProgressReport, ProjectApplication
from .rules import staff_may_view_applications
from .selectors import similar_cases
from .workflow import SENT_STATUSES, Status

# The ranking shows this many projects a page (the CSV has them all); the first page's chart draws the best ranked
# that reported. A page of 100 rows spent more than half of its time in its template.
TABLE_ROWS = 25
CHART_LINES = 8
BENCHMARKED_FROM = 2  # projects measuring an indicator before a cluster's page lists it


def _visible_parts(user, *, through: str = "") -> list[Q] | None:
    """The projects (ProjectApplication) whose figures `user` may compare, as the parts of one rule: published cases,
    the reader's city's own, the projects sent to the reader's clusters. None: every project but the withdrawn
    (the secretariat). `through` reads the rule from another model's relation to the project ("application__")."""

    def part(**lookups) -> Q:
        return Q(**{through + lookup: value for lookup, value in lookups.items()})

    published = part(status=Status.ACCEPTED, published_at__isnull=False)
    if not user.is_authenticated:
        return [published]
    if staff_may_view_applications(user):
        return None
    parts = [published]
    if user.organisation is not None:
        parts.append(part(organisation_id=user.organisation.pk) & ~part(status=Status.WITHDRAWN))
    clusters = member_cluster_ids(user) | led_cluster_ids(user)
    if clusters:
        sent = SENT_STATUSES - {Status.DECLINED}
        parts.append(part(cluster_id__in=clusters, status__in=sent, organisation__is_verified=True))
    return parts


def benchmark_visible(user) -> Q:
    """The projects (ProjectApplication) whose figures `user` may compare, as one condition (see _visible_parts)."""
    parts = _visible_parts(user)
    if parts is None:
        return ~Q(status=Status.WITHDRAWN)
    visible = Q()
    for part in parts:
        visible |= part
    return visible


def _visible_kpis(indicator: Indicator, user) -> QuerySet:
    """The KPIs measuring `indicator` of the projects benchmark_visible lets `user` compare, as the values the
    ranking orders them by (`ranked_id`, `ranked_change`, `ranked_progress`, `ranked_organisation`).

    With several parts to the rule (a member's, a leader's, a city's) they are a union of the parts, each joined
    with the indicator's KPIs, so that each part is read from its own index (published cases:
    `application_published_case`; a city's own: the organisation's; a cluster's sent ones:
    `application_cluster_sent`, which carry the city too) and the union holds only this indicator's rows. One
    condition joining the parts with OR makes PostgreSQL test every application against all of them (three times
    slower at 20,000 applications); a union of every visible project, thousands of ids whose number PostgreSQL
    cannot estimate, made it probe the KPIs once per project after the data changed."""
    kpis = Kpi.objects.filter(indicator=indicator).order_by()
    parts = _visible_parts(user, through="application__")
    if parts is None:
        # The secretariat's: every project but the withdrawn, whose project and city are found for each KPI (a few
        # thousand). Joined instead, PostgreSQL read every project up to the last one measuring the indicator (as
        # many as there are applications, withdrawn ones included), twice as slow.
        city = ProjectApplication.objects.filter(pk=OuterRef("application_id")).exclude(status=Status.WITHDRAWN)
        return (
            kpis.alias(city=Subquery(city.values("organisation_id")))
            .filter(city__isnull=False)
            .values(**{**_RANKED_BY, "ranked_organisation": F("city")})
        )
    first, *rest = (kpis.filter(part).values(**_RANKED_BY) for part in parts)
    return first.union(*rest) if rest else first  # a KPI in two parts is one row of the union


_RANKED_BY = {
    "ranked_id": F("pk"),
    "ranked_change": F("change"),
    "ranked_progress": F("progress"),
    "ranked_organisation": F("application__organisation_id"),
}


@dataclass
class BenchmarkRow:
    kpi_id: int
    application_id: int
    project: str
    city: str
    country: str
    published: bool
    start_date: dt.date | None
    unit: str  # the project's own unit
    baseline: float | None  # these in the indicator's unit
    target: float | None
    latest: float | None
    latest_on: dt.date | None
    improvement: float | None = None
    progress: float | None = None
    rank: int | None = None


@dataclass
class Benchmark:
    indicator: Indicator
    rows: list[BenchmarkRow]  # a page of the ranking (all of it for the CSV)
    total: int  # projects ranked
    chart: charts.Chart | None = None
    description: str = ""
    page: Page | None = None  # which page of the ranking `rows` is (None for the CSV)


def _converted(value, source: str, target: str) -> float | None:
    if value is None:
        return None
    try:
        return units.convert(value, source, target)
    except Exception:  # a unit that no longer converts (changed by hand): the value is left out, not guessed
        return None


# What a row of the ranking reads, in the order ranked_rows takes it.
RANKED = (
    "pk",
    "application_id",
    "application__title",
    "application__organisation__name",
    "application__organisation__country",
    "application__published_at",
    "application__start_date",
    "unit",
    "baseline",
    "target",
    "latest_value",
    "latest_unit",
    "latest_on",
)


class Ranking:
    """The KPIs measuring `indicator` of the projects `user` may compare, best first: the biggest improvement
    since the baseline (the stored change, up or down as the indicator wants), then the most progress towards the
    target, then the city's name; those not measured yet last. Sliced (`ranking[25:50]`, as a paginator does), it
    gives those rows of RANKED; `count()` is the number ranked.

    Two queries: the order of every visible KPI, ranked by the database from the values it is ranked by
    (`_visible_kpis`, and the cities' names to break ties), a list of ids kept for the slices and the count; then
    the rows of a slice. Reading every column of every visible KPI to rank them (a thousand for a leader: the KPI,
    its project and its city found again for each) took PostgreSQL twice as long as ranking the values.
    """

    def __init__(self, indicator: Indicator, user):
        self.indicator = indicator
        self.visible = _visible_kpis(indicator, user)

    @cached_property
    def ids(self) -> list[int]:
        sql, params = self.visible.query.sql_with_params()
        quote = connection.ops.quote_name
        organisations = Organisation._meta
        improvement = "ASC" if self.indicator.lower_is_better else "DESC"
        # The ORM's SQL of the visible KPIs, ordered; the rest is names from the models' metadata.
        ordered = (
            f"SELECT v.{quote('ranked_id')} FROM ({sql}) v"  # noqa: S608  # nosec B608
            f" INNER JOIN {quote(organisations.db_table)} o"
            f" ON o.{quote(organisations.pk.column)} = v.{quote('ranked_organisation')}"
            f" ORDER BY v.{quote('ranked_change')} {improvement} NULLS LAST,"
            f" v.{quote('ranked_progress')} DESC NULLS LAST,"
            f" o.{quote(organisations.get_field('name').column)} ASC, v.{quote('ranked_id')} ASC"
        )
        with connection.cursor() as cursor:
            cursor.execute(ordered, params)
            return [kpi_id for (kpi_id,) in cursor.fetchall()]

    def __getitem__(self, shown: slice) -> list[tuple]:
        if not isinstance(shown, slice):
            raise TypeError("A ranking is read a slice at a time.")
        ids = self.ids[shown]
        rows = {row[0]: row for row in Kpi.objects.filter(pk__in=ids).values_list(*RANKED)} if ids else {}
        return [rows[kpi_id] for kpi_id in ids]

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return self.count()


def ranked_rows(indicator: Indicator, kpis, *, first_rank: int = 1) -> list[BenchmarkRow]:
    """Rows of `ranking` (a slice of it) for reading, in the indicator's unit."""
    rows = []
    for rank, kpi in enumerate(kpis, start=first_rank):
        pk, app, title, city, country, published, start, unit, baseline, target, latest, latest_unit, on = kpi
        row = BenchmarkRow(
            kpi_id=pk,
            application_id=app,
            project=title,
            city=city,
            country=country,
            published=published is not None,
            start_date=start,
            unit=unit,
            baseline=_converted(baseline, unit, indicator.unit),
            target=_converted(target, unit, indicator.unit),
            latest=_converted(latest, latest_unit or unit, indicator.unit),
            latest_on=on,
            rank=rank,
        )
        row.improvement = figures.improvement(
            baseline=row.baseline, latest=row.latest, lower_is_better=indicator.lower_is_better
        )
        row.progress = figures.progress(baseline=row.baseline, target=row.target, latest=row.latest)
        rows.append(row)
    return rows


def _series(rows: list[BenchmarkRow], indicator: Indicator) -> list[charts.Series]:
    """The best ranked projects that reported, each a line from its baseline (at its start date) to its reports."""
    drawn = [row for row in rows if row.latest is not None][:CHART_LINES]
    reports: dict[int, list[tuple[dt.date, float]]] = {row.kpi_id: [] for row in drawn}
    measured = ProgressReport.objects.filter(kpi_id__in=list(reports)).order_by("kpi_id", "measured_on", "pk")
    for kpi_id, on, value, unit in measured.values_list("kpi_id", "measured_on", "value", "unit"):
        converted = _converted(value, unit, indicator.unit)
        if converted is not None:
            reports[kpi_id].append((on, converted))
    series = []
    for row in drawn:
        points = reports[row.kpi_id]
        if row.baseline is not None and row.start_date and points and row.start_date < points[0][0]:
            points = [(row.start_date, row.baseline), *points]
        series.append(charts.Series(label=f"{row.city}: {row.project}", points=points))
    return series


def _description(indicator: Indicator, rows: list[BenchmarkRow]) -> str:
    """The chart's text alternative: what it shows, and each drawn project's figures in words."""
    parts = [
        _("Values of “%(indicator)s” in %(unit)s over time, one line per project, best improvement first.")
        % {"indicator": indicator.name, "unit": indicator.unit}
    ]
    for row in [row for row in rows if row.latest is not None][:CHART_LINES]:
        if row.improvement is None:
            parts.append(
                _("%(city)s (%(project)s): latest value %(latest)s.")
                % {"city": row.city, "project": row.project, "latest": measure(row.latest, rounded=True)}
            )
        else:
            parts.append(
                _("%(city)s (%(project)s): from %(baseline)s to %(latest)s, %(improvement)s improvement.")
                % {
                    "city": row.city,
                    "project": row.project,
                    "baseline": measure(row.baseline, rounded=True),
                    "latest": measure(row.latest, rounded=True),
                    "improvement": f"{measure(round(row.improvement, 1))} %",
                }
            )
    return " ".join(parts)


def indicator_benchmark(
    indicator: Indicator, user, *, chart: bool = True, every_row: bool = False, page: int = 1
) -> Benchmark:
    """A page of TABLE_ROWS of the ranking, the first with its chart (`every_row`: the whole ranking, for the CSV).
    A page past the last is the last."""
    ranked = Ranking(indicator, user)
    if every_row:
        rows = ranked_rows(indicator, ranked[:])
        return Benchmark(indicator=indicator, rows=rows, total=len(rows))
    pages = Paginator(ranked, TABLE_ROWS).get_page(page)  # a page past the last is the last
    rows = ranked_rows(indicator, pages.object_list, first_rank=pages.start_index())
    benchmark = Benchmark(indicator=indicator, rows=rows, total=ranked.count(), page=pages)
    if chart and pages.number == 1:
        benchmark.chart = charts.line_chart(_series(rows, indicator))
        benchmark.description = _description(indicator, rows)
    return benchmark


def catalogue_indicator(pk: int) -> Indicator:
    return Indicator.objects.catalogue().prefetch_related("clusters").get(pk=pk)


def cluster_indicators(cluster: Cluster, user) -> QuerySet[Indicator]:
    """The catalogue indicators of the cluster's projects that the reader sees, measured by two projects or more,
    with how many; one query."""
    visible = ProjectApplication.objects.filter(benchmark_visible(user), cluster=cluster).values("pk")
    return (
        Indicator.objects.catalogue()
        .annotate(projects=Count("kpis", filter=Q(kpis__application__in=visible)))
        .filter(projects__gte=BENCHMARKED_FROM)
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class CaseLink:
    """A best-practice case as the guidance names it."""

    pk: int
    title: str
    city: str


@dataclass
class Guidance:
    cases: list[CaseLink]
    cities: list[tuple[str, str]]  # (city, indicator), measuring what this project measures

    def __bool__(self) -> bool:
        return bool(self.cases or self.cities)


GUIDANCE_CASES = 4
GUIDANCE_CITIES = 8


def guidance_for(application: ProjectApplication) -> Guidance:
    """For a city's own application page: the best-practice cases of its cluster, those measuring most of the same
    indicators first, then those describing the most similar problems, and the other cities whose published cases
    measure the same indicators (the benchmark page linked from each KPI of the page's progress section compares
    every project the reader may see).

    Published cases only, so what it shows is the same for every reader and public: it is kept in the shared cache
    (the "guidance" entry of core/caches.py) until a published case, its KPIs or an organisation's name change, or
    the application itself (its text, its cluster, its indicators). Read afresh, two queries whatever the
    catalogue's and the portal's size, each from the published cases' own index (`application_published_case`).
    The application's KPIs come loaded with their indicators."""
    names = {kpi.indicator_id: kpi.indicator.name for kpi in application.kpis.all()}
    part = f"{application.pk}:{application.updated_at.timestamp()}:{'-'.join(map(str, sorted(names)))}"
    cases, pairs = caches.kept("guidance", part, lambda: _guidance_read(application, sorted(names)))
    return Guidance(
        cases=[CaseLink(*case) for case in cases], cities=[(city, names[indicator]) for city, indicator in pairs]
    )


def _guidance_read(application: ProjectApplication, indicators: list[int]) -> tuple[list[tuple], list[tuple]]:
    """The guidance as plain values, to be kept: the cases (pk, title, city) and the (city, indicator id) pairs."""
    pairs = []
    if indicators:
        pairs = list(
            ProjectApplication.objects.published()
            .filter(kpis__indicator_id__in=indicators)
            .exclude(organisation_id=application.organisation_id)
            .values_list("organisation__name", "kpis__indicator_id")
            .distinct()
            .order_by("organisation__name", "kpis__indicator_id")[:GUIDANCE_CITIES]
        )
    cases = []
    if application.cluster_id:
        cases = [
            (case.pk, case.title, case.organisation.name)
            for case in similar_cases(
                application,
                limit=GUIDANCE_CASES,
                indicators=indicators,
                other_than_organisation=application.organisation_id,
            )
        ]
    return cases, pairs
