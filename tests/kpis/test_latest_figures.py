"""Each KPI keeps its latest measured value and the figures that follow, so benchmarks rank in the database."""

import datetime as dt

import pytest

from tests.factories import IndicatorFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi():
    indicator = IndicatorFactory(name="Street lighting electricity use", unit="MWh", direction="lower")
    application = ProjectApplicationFactory(kpis=False)
    return application.kpis.create(indicator=indicator, unit="kWh", baseline=12_000, target=6_000, how_measured="M")


def test_the_latest_report_by_date_measured_gives_the_figures_in_the_kpis_own_unit(kpi):
    kpi.reports.create(measured_on=dt.date(2026, 3, 1), value=9, unit="MWh")  # 9,000 kWh
    kpi.reports.create(measured_on=dt.date(2026, 1, 1), value=11_000, unit="kWh")  # entered later, measured earlier

    kpi.refresh_from_db()
    assert (kpi.latest_value, kpi.latest_unit, kpi.latest_on) == (9, "MWh", dt.date(2026, 3, 1))
    assert kpi.change == pytest.approx(-25.0)  # from 12,000 to 9,000 kWh
    assert kpi.progress == pytest.approx(50.0)  # half the way to 6,000 kWh


def test_a_deleted_report_gives_the_kpi_the_one_before(kpi):
    kpi.reports.create(measured_on=dt.date(2026, 1, 1), value=11_000, unit="kWh")
    newest = kpi.reports.create(measured_on=dt.date(2026, 3, 1), value=9_000, unit="kWh")

    newest.delete()

    kpi.refresh_from_db()
    assert kpi.latest_on == dt.date(2026, 1, 1) and kpi.change == pytest.approx(-100 / 12)
    kpi.reports.all().delete()
    kpi.refresh_from_db()
    assert (kpi.latest_value, kpi.change, kpi.progress) == (None, None, None)


def test_changing_the_baseline_or_the_unit_recomputes_the_figures(kpi):
    kpi.reports.create(measured_on=dt.date(2026, 3, 1), value=9_000, unit="kWh")
    kpi.refresh_from_db()

    kpi.baseline, kpi.target, kpi.unit = 10, 5, "MWh"
    kpi.save()

    kpi.refresh_from_db()
    assert kpi.change == pytest.approx(-10.0) and kpi.progress == pytest.approx(20.0)
