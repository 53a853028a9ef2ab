"""applications.selectors: the application read for its pages, each list in one query built once per process."""

import datetime as dt

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from applications import selectors
from applications.models import ApplicationHistory, Kpi, ProgressReport, ProjectApplication
from tests.factories import IndicatorFactory, ProjectApplicationFactory
from tests.teams.factories import TeamFactory

from .files import stored_document

pytestmark = pytest.mark.django_db


def _application_with_everything(official, cluster) -> ProjectApplication:
    application = ProjectApplicationFactory(  # with one KPI
        organisation=official.organisation, cluster=cluster, status="submitted", submitted_at=timezone.now()
    )
    second = Kpi.objects.create(application=application, indicator=IndicatorFactory(), unit="t CO2e", baseline=40)
    for kpi, day, value in [(second, 1, 38), (second, 20, 31), (application.kpis.first(), 5, 11000), (second, 9, 35)]:
        ProgressReport.objects.create(kpi=kpi, measured_on=dt.date(2026, 3, day), value=value, unit=kpi.unit)
    stored_document(application, "worksheet.docx", original_name="Worksheet.docx", uploaded_by=official)
    for to_status in ("submitted", "under_review"):
        ApplicationHistory.objects.create(application=application, actor=official, to_status=to_status)
    application.team.create(name="Ji-won Park", organisation="Daejeon")
    application.partners_sought.create(kind="academia", expertise="Flood models")
    TeamFactory(name="Flood sensors team", application=application, cluster=cluster)
    return application


def _as_read(application: ProjectApplication, *, whole: bool = True) -> dict:
    """What the application's pages read of it and of its lists; `whole`: its page's, with history and reports."""
    deferred = application.get_deferred_fields()  # the full-text index's copy: no page shows it
    read = {
        "fields": {
            field.attname: getattr(application, field.attname)
            for field in application._meta.concrete_fields
            if field.attname not in deferred
        },
        "organisation": application.organisation.name,
        "cluster": application.cluster.name,
        "kpis": [(kpi.pk, kpi.indicator.name) for kpi in application.kpis.all()],
        "documents": [(d.original_name, d.uploaded_by.email) for d in application.documents.all()],
        "team": [member.name for member in application.team.all()],
        "partners": [partner.expertise for partner in application.partners_sought.all()],
    }
    if whole:
        read["reports"] = [[(r.measured_on, r.value) for r in kpi.reports.all()] for kpi in application.kpis.all()]
        read["history"] = [(h.to_status, h.actor.email) for h in application.history.all()]
    return read


def test_the_application_is_read_for_its_page_as_the_orm_reads_it(official, cluster, django_assert_num_queries):
    application = _application_with_everything(official, cluster)
    reports = ProgressReport.objects.order_by("-measured_on", "-pk")  # the page shows the latest first
    expected = _as_read(
        ProjectApplication.objects.defer("search_document")
        .prefetch_related(
            "kpis__indicator", Prefetch("kpis__reports", queryset=reports), "documents", "history", "team"
        )
        .get(pk=application.pk)
    )
    assert len(expected["kpis"]) == 2 and len(expected["history"]) == 2 and len(expected["documents"]) == 1

    for _ in range(2):  # the second read runs the SQL the first built
        with django_assert_num_queries(5):
            shown = selectors.application_to_show(application.pk)
            read = _as_read(shown)
            assert [team["name"] for team in shown.gctc_teams] == ["Flood sensors team"]
            assert all(kpi.application is shown for kpi in shown.kpis.all())
        assert read == expected
    assert [value for _, value in read["reports"][1]] == [31, 35, 38]  # the latest first

    with django_assert_num_queries(3):  # the other pages of the application: without its history and reports
        read = _as_read(selectors.application_for_page(application.pk), whole=False)
    assert read == {name: value for name, value in expected.items() if name not in ("reports", "history")}


def test_an_application_without_kpis_reads_no_reports(official, cluster, django_assert_num_queries):
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)

    with django_assert_num_queries(4):
        shown = selectors.application_to_show(application.pk)
        assert list(shown.kpis.all()) == [] and list(shown.history.all()) == [] and shown.gctc_teams == []


def test_an_application_that_is_not_there_is_not_found():
    with pytest.raises(ProjectApplication.DoesNotExist):
        selectors.application_to_show(987_654)
