"""Two city officials add the same catalogue indicator to their projects, in different units, and each reports
two measured values; a member of the cluster compares both projects, ranked, on the indicator's chart; an
anonymous visitor sees only the published case. Every page passes axe and the Nu HTML checker."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    IndicatorFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
)


def _official(city: str, cluster):
    official = OrganisationMembershipFactory(
        organisation__name=city, organisation__kind="city", organisation__is_verified=True, role="admin"
    ).user
    application = ProjectApplicationFactory(
        organisation=official.organisation,
        cluster=cluster,
        kpis=False,
        title=f"{city} smart street lighting",
        start_date=dt.date(2025, 1, 1),
    )
    return official, application


def _add_kpi_and_submit(page, check_page, official, application, *, unit, baseline, target):
    sign_in(page, official.email)
    page.goto(f"/en/applications/{application.pk}/edit/")
    kpi = page.get_by_role("group", name="KPI 1")
    kpi.get_by_label("Indicator").fill("Street lighting electricity use")
    kpi.get_by_label("Unit").fill(unit)
    kpi.get_by_label("Baseline").fill(baseline)
    kpi.get_by_label("Target").fill(target)
    kpi.get_by_label("How it is measured").fill("Monthly meter readings of the lighting circuits")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted. The leaders of the cluster")).to_be_visible()


def _report(page, check_page, *, on, value, unit, name):
    form = page.locator("#progress")
    form.get_by_label("Measured on").fill(on)
    form.get_by_label("Value").fill(value)
    form.get_by_label("Unit").fill(unit)
    form.get_by_label("Note").fill("Read from the lighting circuits' meters")
    form.get_by_role("button", name="Save the measured value").click()
    expect(page.get_by_text("Measured value saved.")).to_be_visible()
    check_page(name)


def test_a_member_compares_two_cities_and_the_public_sees_the_published_case(page, check_page, screenshot):
    cluster = ClusterFactory(name="Smart Utility & Waste Management", slug="smart-utility-waste")
    IndicatorFactory(
        name="Street lighting electricity use",
        definition="Electricity consumed by the city's street lights in a year.",
        unit="MWh per year",
        direction="lower",
    ).clusters.add(cluster)
    seoul_official, seoul = _official("Seoul", cluster)
    lyon_official, lyon = _official("Lyon", cluster)
    member = OrganisationMembershipFactory(
        organisation__name="Urban Sensors Ltd", organisation__kind="company", organisation__is_verified=True
    ).user
    ClusterMembershipFactory(cluster=cluster, organisation=member.organisation)

    # Seoul measures in kWh a year (and reports once in MWh), Lyon in MWh a year: converted to compare.
    _add_kpi_and_submit(page, check_page, seoul_official, seoul, unit="kWh per year", baseline="12000", target="6000")
    check_page("benchmark-application-with-progress-form")
    _report(page, check_page, on="2025-06-30", value="11000", unit="kWh per year", name="benchmark-first-report")
    _report(page, check_page, on="2025-12-31", value="9", unit="MWh per year", name="benchmark-second-report")
    expect(page.get_by_role("cell", name="11,000 kWh per year")).to_be_visible()
    expect(page.get_by_role("cell", name="9 MWh per year")).to_be_visible()
    screenshot("benchmark-application-progress", phone=True)
    _add_kpi_and_submit(page, check_page, lyon_official, lyon, unit="MWh per year", baseline="10", target="5")
    _report(page, check_page, on="2025-06-30", value="9.5", unit="MWh per year", name="benchmark-lyon-first")
    _report(page, check_page, on="2025-12-31", value="9", unit="MWh per year", name="benchmark-lyon-second")
    # The secretariat accepts and publishes Lyon's project (its own journey is tested elsewhere).
    lyon.refresh_from_db()
    lyon.status, lyon.decided_at, lyon.published_at = "accepted", timezone.now(), timezone.now()
    lyon.save()

    # A member of the cluster goes from the cluster's page to the indicator's benchmark.
    sign_in(page, member.email)
    page.goto(cluster.get_absolute_url())
    page.get_by_role("link", name="Compare the projects' measured benefits (benchmarks)").click()
    check_page("benchmark-cluster")
    screenshot("benchmark-cluster", phone=True)
    page.get_by_role("link", name="Street lighting electricity use").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Seoul")  # 12 -> 9 MWh: 25 % better
    expect(rows.nth(1)).to_contain_text("+25 %")
    expect(rows.nth(2)).to_contain_text("Lyon")  # 10 -> 9 MWh: 10 % better
    expect(rows.nth(2)).to_contain_text("+10 %")
    chart = page.get_by_role("img", name="Street lighting electricity use")
    expect(chart).to_be_visible()
    description = page.locator("#chart-description")
    expect(description).to_contain_text("Seoul (Seoul smart street lighting): from 12 to 9, 25 % improvement.")
    expect(description).to_contain_text("Lyon (Lyon smart street lighting): from 10 to 9, 10 % improvement.")
    expect(chart.locator("path")).to_have_count(2)
    check_page("benchmark-indicator-member")
    screenshot("benchmark-indicator-member", phone=True)

    # A visitor without an account sees the published case only.
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    expect(page.get_by_text("Seoul")).to_have_count(0)
    expect(page.locator("#chart-description")).to_contain_text("Lyon")
    expect(page.get_by_role("img", name="Street lighting electricity use").locator("path")).to_have_count(1)
    check_page("benchmark-indicator-public")
    screenshot("benchmark-indicator-public", phone=True)
