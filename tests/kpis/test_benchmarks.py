"""Benchmark pages: projects measuring one indicator, compared in its unit, ranked, charted; who sees which."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    IndicatorFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lighting():
    return IndicatorFactory(name="Street lighting electricity use", unit="MWh", direction="lower")


def _project(indicator, cluster, city, *, unit, baseline, values, published=False, status="submitted"):
    application = ProjectApplicationFactory(
        organisation=OrganisationFactory(name=city, kind="city", is_verified=True),
        cluster=cluster,
        kpis=False,
        status="accepted" if published else status,
        submitted_at=timezone.now(),
        published_at=timezone.now() if published else None,
        start_date=dt.date(2025, 1, 1),
        title=f"{city} lighting",
    )
    kpi = application.kpis.create(
        indicator=indicator, unit=unit, baseline=baseline, target=baseline / 2, how_measured="M"
    )
    for month, value in enumerate(values, start=3):
        kpi.reports.create(measured_on=dt.date(2025, month, 1), value=value, unit=unit)
    return application


@pytest.fixture
def two_projects(lighting, cluster):
    # Seoul in kWh: 12,000 -> 9,000 kWh is 12 -> 9 MWh, 25 % better; Lyon in MWh: 10 -> 9, 10 % better.
    seoul = _project(lighting, cluster, "Seoul", unit="kWh", baseline=12_000, values=[11_000, 9_000])
    lyon = _project(lighting, cluster, "Lyon", unit="MWh", baseline=10, values=[9.5, 9], published=True)
    return seoul, lyon


@pytest.fixture
def member(cluster):
    organisation = OrganisationFactory(kind="company", is_verified=True)
    ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="active")
    return OrganisationMembershipFactory(organisation=organisation, role="admin").user


def test_a_member_sees_every_project_of_the_cluster_ranked_in_the_indicators_unit(
    client, member, lighting, two_projects
):
    client.force_login(member)

    response = client.get(reverse("benchmarks:indicator", args=[lighting.pk]))

    html = response.text
    benchmark = response.context["benchmark"]
    assert [(row.city, round(row.improvement, 1), round(row.progress, 1)) for row in benchmark.rows] == [
        ("Seoul", 25.0, 50.0),
        ("Lyon", 10.0, 20.0),
    ]
    assert benchmark.rows[0].latest == pytest.approx(9.0)
    assert "<svg" in html and 'role="img"' in html and '<title id="chart-title">' in html
    description = html.split('<desc id="chart-description">', 1)[1].split("</desc>", 1)[0]
    assert "Seoul" in description and "25 % improvement" in description and "Lyon" in description
    assert "10 % improvement" in description
    assert html.count("<path d=") == 2
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_public_sees_only_published_cases(client, lighting, two_projects):
    response = client.get(reverse("benchmarks:indicator", args=[lighting.pk]))

    assert [row.city for row in response.context["benchmark"].rows] == ["Lyon"]
    assert "Seoul" not in response.text and response.text.count("<path d=") == 1


def test_a_city_outside_the_cluster_sees_its_own_and_published_projects(client, other_official, lighting, two_projects):
    client.force_login(other_official)

    response = client.get(reverse("benchmarks:indicator", args=[lighting.pk]))

    assert [row.city for row in response.context["benchmark"].rows] == ["Lyon"]


def test_a_leader_sees_the_projects_sent_to_the_cluster_and_the_secretariat_all_but_the_withdrawn(
    client, leader, staff_user, lighting, cluster, two_projects
):
    other_cluster = ClusterFactory()
    _project(lighting, other_cluster, "Porto", unit="MWh", baseline=8, values=[7], published=True)
    _project(lighting, other_cluster, "Quito", unit="MWh", baseline=8, values=[7.5])  # sent elsewhere
    _project(lighting, cluster, "Rabat", unit="MWh", baseline=8, values=[], status="declined")
    _project(lighting, cluster, "Sofia", unit="MWh", baseline=8, values=[], status="draft")
    _project(lighting, cluster, "Tunis", unit="MWh", baseline=8, values=[6], status="withdrawn")
    page = reverse("benchmarks:indicator", args=[lighting.pk])

    client.force_login(leader)
    leaders = [row.city for row in client.get(page).context["benchmark"].rows]
    client.force_login(staff_user)
    secretariat = [row.city for row in client.get(page).context["benchmark"].rows]

    # Lyon is both published and sent to the leader's cluster: once. Ranked by improvement, the unmeasured last.
    assert leaders == ["Seoul", "Porto", "Lyon"]
    assert secretariat == ["Seoul", "Porto", "Lyon", "Quito", "Rabat", "Sofia"]


def test_the_csv_has_the_same_figures_as_plain_numbers(client, member, lighting, two_projects):
    client.force_login(member)

    response = client.get(reverse("benchmarks:indicator_csv", args=[lighting.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][4] == "baseline (MWh)"
    assert rows[1][:10] == ["1", "Seoul", rows[1][2], "Seoul lighting", "12", "6", "9", "2025-04-01", "25", "50"]
    assert rows[2][1] == "Lyon" and rows[2][8] == "10"


def test_the_clusters_page_lists_indicators_measured_by_two_projects(client, member, cluster, lighting, two_projects):
    IndicatorFactory(name="Lonely indicator")
    client.force_login(member)

    html = client.get(reverse("benchmarks:cluster", args=[cluster.slug])).text

    assert "Street lighting electricity use" in html and "2 projects" in html
    assert "Lonely indicator" not in html
    assert reverse("benchmarks:cluster", args=[cluster.slug]) in client.get(cluster.get_absolute_url()).text


def test_a_proposed_indicator_has_no_benchmark_page(client):
    proposal = IndicatorFactory(status="proposed")

    assert client.get(reverse("benchmarks:indicator", args=[proposal.pk])).status_code == 404


def test_numbers_and_dates_follow_the_readers_language(client, member, lighting, two_projects):
    client.force_login(member)

    html = client.get(reverse("benchmarks:indicator", args=[lighting.pk]).replace("/en/", "/fr/")).text

    assert "+25 %" in html and "12 000" not in html and "<title" in html


@pytest.mark.parametrize("projects", [2, 12])
def test_the_page_costs_the_same_queries_however_many_projects_and_reports(
    client, member, lighting, cluster, projects, django_assert_max_num_queries
):
    for number in range(projects):
        _project(lighting, cluster, f"City {number}", unit="kWh", baseline=1000 + number, values=[900, 800, 700])
    client.force_login(member)
    url = reverse("benchmarks:indicator", args=[lighting.pk])
    client.get(url)

    with django_assert_max_num_queries(10) as queries:
        client.get(url)

    assert len(queries) == QUERIES.setdefault("benchmark", len(queries))


QUERIES: dict[str, int] = {}


def test_the_ranking_is_paged_and_only_its_first_page_has_the_chart(client, member, lighting, cluster):
    from applications.benchmarks import TABLE_ROWS

    # Baselines 1,000 ... : each city improved by 100 from a lower baseline than the one before, so better ranked.
    for number in range(TABLE_ROWS + 2):
        _project(lighting, cluster, f"City {number:02}", unit="MWh", baseline=1000 - number, values=[900 - number])
    client.force_login(member)
    url = reverse("benchmarks:indicator", args=[lighting.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})
    beyond = client.get(url, {"page": 9})

    assert [row.rank for row in first.context["benchmark"].rows] == list(range(1, TABLE_ROWS + 1))
    assert "<svg" in first.text and "Page 1 of 2" in first.text and "?page=2#ranking-heading" in first.text
    assert [(row.rank, row.city) for row in second.context["benchmark"].rows] == [
        (TABLE_ROWS + 1, "City 01"),
        (TABLE_ROWS + 2, "City 00"),
    ]
    assert "<svg" not in second.text and "Page 2 of 2" in second.text
    assert f'href="{url}">first page</a>' in second.text
    assert [row.rank for row in beyond.context["benchmark"].rows] == [TABLE_ROWS + 1, TABLE_ROWS + 2]


def test_the_demo_shows_two_cities_on_one_chart_to_visitors(settings, client):
    from django.core.management import call_command

    from kpis.models import Indicator

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubles
    indicator = Indicator.objects.get(name_en="Visits to the open budget dashboard")

    response = client.get(reverse("benchmarks:indicator", args=[indicator.pk]))

    rows = response.context["benchmark"].rows
    assert {row.city for row in rows} == {"Demo City Metropolitan Government", "Demo Harbour City"}
    assert response.text.count("<path d=") == 2 and all(row.improvement for row in rows)
