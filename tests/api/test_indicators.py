"""The indicator catalogue and its benchmark figures over the API: what a visitor's benchmark page shows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import IndicatorFactory, OrganisationFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db


def _project(indicator, cluster, city, *, unit, baseline, values, published):
    application = ProjectApplicationFactory(
        organisation=OrganisationFactory(name=city, kind="city", is_verified=True, country="KR"),
        cluster=cluster,
        kpis=False,
        status="accepted" if published else "submitted",
        submitted_at=timezone.now(),
        decided_at=timezone.now() if published else None,
        published_at=timezone.now() if published else None,
        start_date=dt.date(2025, 1, 1),
        title=f"{city} lighting",
    )
    kpi = application.kpis.create(
        indicator=indicator, unit=unit, baseline=baseline, target=baseline / 2, how_measured="Meters"
    )
    for month, value in enumerate(values, start=3):
        kpi.reports.create(measured_on=dt.date(2025, month, 1), value=value, unit=unit)
    return application


@pytest.fixture
def lighting(theme):
    indicator = IndicatorFactory(name="Street lighting electricity use", unit="MWh", direction="lower")
    indicator.clusters.add(theme)
    return indicator


def test_the_catalogue_lists_its_indicators_and_finds_them_by_name_and_cluster(api, theme, lighting):
    IndicatorFactory(name="Bus ridership", unit="trips")
    IndicatorFactory(name="Street lighting proposed", unit="MWh", status="proposed")

    everything = api.get("/api/v1/indicators/").json()["results"]
    by_name = api.get("/api/v1/indicators/", {"q": "lighting"}).json()["results"]
    by_cluster = api.get("/api/v1/indicators/", {"cluster": "smart-mobility"}).json()["results"]

    assert {row["name"] for row in everything} >= {"Street lighting electricity use", "Bus ridership"}
    assert "Street lighting proposed" not in {row["name"] for row in everything}  # a city's proposal, not curated
    assert [row["name"] for row in by_name] == ["Street lighting electricity use"]
    assert [row["name"] for row in by_cluster] == ["Street lighting electricity use"]
    item = api.get(f"/api/v1/indicators/{lighting.pk}/").json()
    assert item["unit"] == "MWh" and item["direction"] == "lower" and item["clusters"] == ["smart-mobility"]
    assert item["url"].endswith(f"/en/benchmarks/indicators/{lighting.pk}/")
    assert item["benchmark"].endswith(f"/api/v1/indicators/{lighting.pk}/benchmark/")


def test_the_benchmark_ranks_published_projects_in_the_indicators_unit(api, theme, lighting):
    # Seoul in kWh: 12,000 -> 9,000 kWh is 12 -> 9 MWh, 25 % better; Lyon in MWh: 10 -> 9, 10 % better.
    seoul = _project(lighting, theme, "Seoul", unit="kWh", baseline=12_000, values=[11_000, 9_000], published=True)
    lyon = _project(lighting, theme, "Lyon", unit="MWh", baseline=10, values=[9.5, 9], published=True)
    _project(lighting, theme, "Hidden", unit="MWh", baseline=10, values=[1], published=False)

    response = api.get(f"/api/v1/indicators/{lighting.pk}/benchmark/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # the submitted, unpublished project is nobody's business here
    first, second = body["results"]
    assert (first["rank"], first["city"], first["unit"]) == (1, "Seoul", "kWh")
    assert (first["baseline"], first["latest"], first["improvement"]) == (12.0, 9.0, 25.0)
    assert first["latest_on"] == "2025-04-01"
    assert first["case"].endswith(f"/api/v1/cases/{seoul.pk}/")
    assert (second["rank"], second["city"], second["improvement"]) == (2, "Lyon", 10.0)
    assert second["case"].endswith(f"/api/v1/cases/{lyon.pk}/")
    assert api.get(f"/api/v1/indicators/{lighting.pk}/benchmark/", {"page_size": 1}).json()["next"]


@pytest.mark.parametrize("path", ["/api/v1/indicators/999999/benchmark/", "/api/v1/indicators/999999/"])
def test_an_indicator_that_is_not_in_the_catalogue_is_a_json_404(api, path):
    proposed = IndicatorFactory(name="Not curated yet", unit="t", status="proposed")

    for address in (path, path.replace("999999", str(proposed.pk))):
        response = api.get(address)
        assert response.status_code == 404
        assert response.json()["detail"]


def test_the_benchmark_takes_as_many_queries_for_30_projects_as_for_1(api, theme, lighting):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/indicators/{lighting.pk}/benchmark/?page_size=100").status_code == 200
        return len(queries)

    _project(lighting, theme, "City 0", unit="MWh", baseline=10, values=[9], published=True)
    one = count()
    for n in range(1, 30):
        _project(lighting, theme, f"City {n}", unit="kWh", baseline=10_000, values=[9_000, 8_000], published=True)
    # The indicator with its clusters, the count of ranked projects and the page of them: no more.
    assert count() == one <= 4
