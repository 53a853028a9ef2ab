"""The quarterly reminder to report, through the outbox and once; guidance from similar projects on a city's page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.services import progress_reminders_send
from core import caches
from notifications.models import OutboundEmail
from tests.factories import IndicatorFactory, OrganisationFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(official, cluster):
    application = ProjectApplicationFactory(
        organisation=official.organisation,
        cluster=cluster,
        created_by=official,
        status="accepted",
        decided_at=timezone.now(),
    )
    return application


def test_an_accepted_project_is_reminded_once_a_quarter(accepted, official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert progress_reminders_send(today=dt.date(2026, 4, 2)) == 1
        progress_reminders_send(today=dt.date(2026, 4, 3))
        progress_reminders_send(today=dt.date(2026, 7, 1))

    emails = OutboundEmail.objects.filter(recipient=official.email, template="progress_reminder")
    assert emails.count() == 2
    assert "Electricity used" in emails.first().html


def test_a_project_that_reported_this_quarter_is_not_reminded(accepted):
    accepted.kpis.get().reports.create(measured_on=dt.date(2026, 4, 1), value=11000, unit="MWh per year")

    assert progress_reminders_send(today=dt.date(2026, 5, 1)) == 0
    assert not OutboundEmail.objects.filter(template="progress_reminder").exists()


def test_drafts_are_not_reminded(official, cluster):
    ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)

    assert progress_reminders_send(today=dt.date(2026, 4, 2)) == 0


def test_the_citys_page_shows_cases_and_cities_measuring_the_same_indicators(client, official, cluster):
    indicator = IndicatorFactory(name="Average commute time", unit="min", direction="lower")
    mine = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    mine.kpis.create(indicator=indicator, unit="min", baseline=40, target=30, how_measured="Survey")
    case = ProjectApplicationFactory(
        organisation=OrganisationFactory(name="Bilbao", kind="city"),
        cluster=cluster,
        kpis=False,
        status="accepted",
        published_at=timezone.now(),
        title="Bilbao bus lanes",
    )
    case.kpis.create(indicator=indicator, unit="h", baseline=0.7, target=0.5, how_measured="Survey")
    client.force_login(official)

    html = client.get(mine.get_absolute_url()).text

    section = html.split('id="guidance-heading"', 1)[1].split("</section>", 1)[0]
    assert "Bilbao bus lanes" in section and "Bilbao · Average commute time" in section


def test_guidance_names_only_cities_with_published_cases(client, official, cluster):
    """What guidance shows is the same for every reader: a project sent to the cluster but not published is compared
    on the indicator's benchmark page (linked from the page's progress section, for those who may see it), not named
    in the guidance."""
    indicator = IndicatorFactory(name="Average commute time", unit="min", direction="lower")
    mine = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    mine.kpis.create(indicator=indicator, unit="min", baseline=40, target=30, how_measured="Survey")
    sent = ProjectApplicationFactory(
        organisation=OrganisationFactory(name="Porto", kind="city", is_verified=True),
        cluster=cluster,
        kpis=False,
        status="submitted",
    )
    sent.kpis.create(indicator=indicator, unit="min", baseline=50, target=45, how_measured="Survey")
    client.force_login(official)

    html = client.get(mine.get_absolute_url()).text

    section = html.split('id="guidance-heading"', 1)[1].split("</section>", 1)[0]
    assert "Porto" not in section
    assert f'href="{reverse("benchmarks:indicator", args=[indicator.pk])}"' in html


def test_cases_measuring_the_same_indicators_come_before_those_only_describing_similar_problems(official, cluster):
    from applications.benchmarks import guidance_for

    indicator = IndicatorFactory(name="Average commute time", unit="min", direction="lower")
    mine = ProjectApplicationFactory(
        organisation=official.organisation, cluster=cluster, kpis=False, title="Bus lanes for commuters"
    )
    mine.kpis.create(indicator=indicator, unit="min", baseline=40, target=30, how_measured="Survey")

    def case(title, *, measures):
        project = ProjectApplicationFactory(
            organisation=OrganisationFactory(kind="city"),
            cluster=cluster,
            kpis=False,
            status="accepted",
            published_at=timezone.now(),
            title=title,
        )
        if measures:
            project.kpis.create(indicator=indicator, unit="min", baseline=35, target=25, how_measured="Survey")
        return project

    similar_words = case("Bus lanes for commuters downtown", measures=False)
    same_indicator = case("Tram timetable", measures=True)
    own_other = ProjectApplicationFactory(
        organisation=official.organisation, cluster=cluster, status="accepted", published_at=timezone.now()
    )

    cases = [case.pk for case in guidance_for(mine).cases]

    assert cases[:2] == [same_indicator.pk, similar_words.pk]
    assert own_other.pk not in cases  # the city's own projects are no guidance to it


def test_guidance_is_kept_between_views_until_a_case_is_published_or_the_project_changes(client, official, cluster):
    """The guidance is public and the same for every reader, so it is kept (core/caches.py, "guidance"): a second
    view reads neither the cases nor the cities again, and a newly published case, or a new indicator of the
    project, shows at once."""
    commute = IndicatorFactory(name="Average commute time", unit="min", direction="lower")
    trees = IndicatorFactory(name="Trees planted", unit="count")
    mine = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    mine.kpis.create(indicator=commute, unit="min", baseline=40, target=30, how_measured="Survey")
    client.force_login(official)

    def guidance_and_queries() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(mine.get_absolute_url()).text
        return html.split('id="guidance-heading"', 1)[1].split("</section>", 1)[0], len(queries)

    guidance_and_queries()  # the page's other shared read (its matches) kept too
    caches.retire("guidance")
    first, read = guidance_and_queries()
    again, kept = guidance_and_queries()
    assert again == first and kept == read - 2

    def published(city, indicator, unit):
        case = ProjectApplicationFactory(
            organisation=OrganisationFactory(name=city, kind="city"),
            cluster=cluster,
            kpis=False,
            status="accepted",
            published_at=timezone.now(),
            title=f"{city} pilot",
        )
        case.kpis.create(indicator=indicator, unit=unit, baseline=1, target=2, how_measured="Counted")

    published("Lyon", commute, "min")
    assert "Lyon · Average commute time" in guidance_and_queries()[0]

    published("Seville", trees, "count")
    assert "Seville · " not in guidance_and_queries()[0]  # it measures nothing this project measures yet
    mine.kpis.create(indicator=trees, unit="count", baseline=0, target=900, how_measured="Counted")
    assert "Seville · Trees planted" in guidance_and_queries()[0]
