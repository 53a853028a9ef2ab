"""Benchmark pages: an indicator's projects compared (a chart, its table, a CSV), a cluster's benchmarked indicators.

Thin: benchmarks.py reads and decides who sees which project; these choose the response."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from clusters.models import Cluster
from core.caches import cache_public_page

from . import benchmarks
from .benchmarks import Indicator


def _indicator(pk: int) -> Indicator:
    try:
        return benchmarks.catalogue_indicator(pk)
    except Indicator.DoesNotExist:
        raise Http404 from None


@cache_public_page("benchmarks")
def indicator_benchmark(request, pk: int):
    indicator = _indicator(pk)
    page = request.GET.get("page", "")
    benchmark = benchmarks.indicator_benchmark(indicator, request.user, page=int(page) if page.isdigit() else 1)
    return render(request, "benchmarks/indicator.html", {"indicator": indicator, "benchmark": benchmark})


def indicator_csv(request, pk: int):
    """Every project's figures, in the indicator's unit, as plain numbers (a dot for decimals) for spreadsheets."""
    indicator = _indicator(pk)
    benchmark = benchmarks.indicator_benchmark(indicator, request.user, chart=False, every_row=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="benchmark-{slugify(indicator.name_en)[:60]}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            "rank",
            "city",
            "country",
            "project",
            f"baseline ({indicator.unit})",
            f"target ({indicator.unit})",
            f"latest value ({indicator.unit})",
            "measured on",
            "improvement (%)",
            "progress to target (%)",
        ]
    )
    for row in benchmark.rows:
        writer.writerow(
            [
                row.rank,
                _cell(row.city),
                row.country,
                _cell(row.project),
                _number(row.baseline),
                _number(row.target),
                _number(row.latest),
                row.latest_on.isoformat() if row.latest_on else "",
                _number(row.improvement, 1),
                _number(row.progress, 1),
            ]
        )
    return response


def _number(value: float | None, places: int = 4) -> str:
    return "" if value is None else f"{round(value, places):g}"


def _cell(text: str) -> str:
    """Names typed by people, defused for spreadsheets (a leading =, +, - or @ would start a formula)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@cache_public_page("benchmarks")
def cluster_benchmarks(request, slug: str):
    cluster = get_object_or_404(Cluster.objects.filter(kind=Cluster.Kind.THEMATIC), slug=slug)
    indicators = benchmarks.cluster_indicators(cluster, request.user)
    return render(request, "benchmarks/cluster.html", {"cluster": cluster, "indicators": indicators})
