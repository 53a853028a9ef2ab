"""The city reports measured values of its KPIs from its application page, with optional evidence."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ProgressReport, ReportEvidence
from tests.applications.files import EXE_BYTES, GOOD_FILES, upload
from tests.factories import IndicatorFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(official, cluster):
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    application.kpis.create(
        indicator=IndicatorFactory(name="Street lighting electricity use", unit="MWh per year", direction="lower"),
        unit="MWh per year",
        baseline=12,
        target=7,
        how_measured="Meters",
    )
    return application


def _report(client, application, **fields):
    data = {
        "kpi": application.kpis.get().pk,
        "measured_on": "2026-03-31",
        "value": "11500",
        "unit": "MWh per year",
        "note": "After the first district",
        **fields,
    }
    return client.post(reverse("applications:report", args=[application.pk]), data)


def test_the_city_reports_a_value_in_a_compatible_unit_and_sees_it_on_its_page(client, official, application):
    client.force_login(official)

    response = _report(client, application, value="11500", unit="kWh per day")

    assert response.status_code == 302 and response["Location"].endswith("#progress")
    report = ProgressReport.objects.get()
    assert report.unit == "kWh per day" and report.value == 11500 and report.reported_by == official
    html = client.get(application.get_absolute_url()).text
    assert "11,500 kWh per day" in html and "After the first district" in html


def test_a_unit_of_another_kind_is_refused_with_the_reason(client, official, application):
    client.force_login(official)

    response = _report(client, application, value="3", unit="t")

    assert response.status_code == 400
    assert "“t” cannot be converted to MWh per year" in response.text
    assert not ProgressReport.objects.exists()


def test_a_date_in_the_future_is_refused(client, official, application):
    client.force_login(official)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = _report(client, application, measured_on=tomorrow.isoformat(), value="3")

    assert response.status_code == 400 and "This date is in the future" in response.text


def test_evidence_is_checked_like_every_upload_and_only_the_projects_readers_download_it(
    client, official, other_official, application
):
    client.force_login(official)
    refused = client.post(
        reverse("applications:report", args=[application.pk]),
        {
            "kpi": application.kpis.get().pk,
            "measured_on": "2026-03-31",
            "value": "10",
            "unit": "MWh per year",
            "evidence": upload("meter.pdf", EXE_BYTES),
        },
    )
    assert refused.status_code == 400 and not ProgressReport.objects.exists()

    name, content = next(iter(GOOD_FILES.items()))
    client.post(
        reverse("applications:report", args=[application.pk]),
        {
            "kpi": application.kpis.get().pk,
            "measured_on": "2026-03-31",
            "value": "10",
            "unit": "MWh per year",
            "evidence": upload(name, content),
        },
    )
    evidence = ReportEvidence.objects.get()
    assert client.get(evidence.get_absolute_url()).status_code == 200
    client.force_login(other_official)
    assert client.get(evidence.get_absolute_url()).status_code == 404


def test_another_city_cannot_report_on_the_project(client, other_official, application):
    client.force_login(other_official)

    response = _report(client, application)

    assert response.status_code == 404 and not ProgressReport.objects.exists()


def test_a_withdrawn_project_takes_no_more_values(client, official, application):
    application.status = "withdrawn"
    application.save()
    client.force_login(official)

    page = client.get(application.get_absolute_url()).text
    response = _report(client, application)

    assert "Report a measured value" not in page
    assert not ProgressReport.objects.exists() and response.status_code == 302
