"""The indicator catalogue: seeded per cluster, picked in the worksheet by typing, proposed, curated by staff."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Kpi
from clusters.seed import seed_clusters
from kpis import services, units
from kpis.models import Indicator
from kpis.seed import STARTER_INDICATORS, seed_indicators
from tests.applications.test_pages import _edit_data
from tests.factories import IndicatorFactory, ProjectApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _kpi_row(application, **row):
    return _edit_data(
        application,
        **{
            "kpis-TOTAL_FORMS": 1,
            "kpis-INITIAL_FORMS": 0,
            **{f"kpis-0-{key}": value for key, value in row.items()},
        },
    )


def test_every_thematic_cluster_gets_starter_indicators_in_four_languages_once():
    seed_clusters()

    assert seed_indicators() == len(STARTER_INDICATORS)
    assert seed_indicators() == 0
    for slug in ("living-labs", "smart-governance", "digital-government-platform", "smart-mobility"):
        assert Indicator.objects.catalogue().filter(clusters__slug=slug).count() >= 3, slug
    meters = Indicator.objects.get(name_en="Smart electricity meters")
    assert meters.source == "ITU U4SSC EC: ICT: ES: 1C" and meters.unit == "%"
    with translation.override("ko"):
        assert str(Indicator.objects.get(pk=meters.pk).name) == "스마트 전력계량기"


def test_a_renamed_starter_indicator_is_left_as_staff_changed_it():
    seed_clusters()
    seed_indicators()
    Indicator.objects.filter(name_en="Average commute time").update(definition_en="Our own words.")

    seed_indicators()

    assert Indicator.objects.get(name_en="Average commute time").definition_en == "Our own words."


def test_the_worksheet_offers_the_catalogue_as_suggestions_without_script(client, official, cluster):
    IndicatorFactory(name="Street lighting electricity use", unit="MWh per year", source="Own")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)

    html = client.get(reverse("applications:edit", args=[application.pk])).text

    assert 'list="indicator-catalogue"' in html
    assert '<datalist id="indicator-catalogue">' in html
    assert '<option value="Street lighting electricity use">MWh per year · Own</option>' in html
    assert "<script" not in html.split("<body", 1)[1].split("</footer>", 1)[0]


def test_the_worksheet_shows_a_proposal_in_the_catalogue_once_staff_accept_it(admin_client, official, cluster):
    proposal = IndicatorFactory(name="Bikes parked in hubs", status="proposed", unit="bicycles per day")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    url = reverse("applications:edit", args=[application.pk])
    client = Client()
    client.force_login(official)
    assert "Bikes parked in hubs" not in client.get(url).text

    admin_client.post(
        reverse("admin:kpis_indicator_changelist"), {"action": "accept", "_selected_action": [proposal.pk]}
    )
    assert '<option value="Bikes parked in hubs">bicycles per day</option>' in client.get(url).text


def test_a_row_picks_the_catalogue_indicator_typed_in_any_case_or_language(client, official, cluster):
    indicator = IndicatorFactory(name="Average commute time", unit="minutes", name_fr="Temps moyen de trajet")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        _kpi_row(application, name="temps moyen  de trajet", unit="h", baseline="0.75", target="0.5", how_measured="S"),
    )

    assert response.status_code == 302
    kpi = application.kpis.get()
    assert kpi.indicator == indicator and kpi.unit == "h" and str(kpi.baseline) == "0.750000"
    assert Indicator.objects.count() == 1


def test_a_new_name_proposes_an_indicator_that_another_city_then_shares(client, official, other_official, cluster):
    first = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    second = ProjectApplicationFactory(organisation=other_official.organisation, cluster=cluster, kpis=False)
    row = {"name": "Bikes parked in hubs", "unit": "bicycles per day", "baseline": "10", "target": "100"}

    client.force_login(official)
    client.post(reverse("applications:edit", args=[first.pk]), _kpi_row(first, how_measured="Counts", **row))
    client.force_login(other_official)
    client.post(reverse("applications:edit", args=[second.pk]), _kpi_row(second, how_measured="Counts", **row))

    proposal = Indicator.objects.get()
    assert proposal.status == "proposed" and proposal.proposed_by == official.organisation
    assert proposal.unit == "bicycles per day"
    assert set(proposal.kpis.values_list("application", flat=True)) == {first.pk, second.pk}
    html = client.get(reverse("applications:detail", args=[second.pk])).text
    assert "Bikes parked in hubs" in html and "proposed" in html


def test_a_unit_that_does_not_convert_to_the_indicators_is_refused_in_words(client, official, cluster):
    IndicatorFactory(name="Street lighting electricity use", unit="MWh per year")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        _kpi_row(
            application, name="Street lighting electricity use", unit="t", baseline="1", target="2", how_measured="M"
        ),
    )

    assert response.status_code == 400
    assert "“t” cannot be converted to MWh per year, the unit of “Street lighting electricity use”." in response.text
    assert not Kpi.objects.exists()


@pytest.mark.parametrize(
    ("unit", "message"),
    [("bananas", "“bananas” is not a unit we know."), ("", "Fill this in too, or clear the whole row.")],
)
def test_an_unknown_unit_is_refused(client, official, cluster, unit, message):
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        _kpi_row(application, name="Fruit eaten", unit=unit, baseline="1", target="2", how_measured="M"),
    )

    assert response.status_code == 400 and message in response.text
    assert not Indicator.objects.exists()


def test_a_baseline_that_is_not_a_number_says_how_to_write_it(client, official, cluster):
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        _kpi_row(application, name="Trips", unit="trips", baseline="about ten", target="2", how_measured="M"),
    )

    assert (
        response.status_code == 400 and "Enter a number, for example 12000 or 3.5, without the unit." in response.text
    )


def test_the_same_indicator_twice_in_one_worksheet_is_refused(client, official, cluster):
    IndicatorFactory(name="Average commute time", unit="minutes")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    client.force_login(official)
    row = {"name": "Average commute time", "unit": "min", "baseline": "40", "target": "30", "how_measured": "S"}
    data = _kpi_row(application, **row)
    data.update({"kpis-TOTAL_FORMS": 2, **{f"kpis-1-{key}": value for key, value in row.items()}})

    response = client.post(reverse("applications:edit", args=[application.pk]), data)

    assert response.status_code == 400 and "This indicator is already in another row" in response.text


def test_units_of_the_same_kind_convert_and_others_do_not():
    assert units.convert(12_000, "kWh", "MWh") == pytest.approx(12)
    assert units.convert(30, "visits per day", "visits per month") == pytest.approx(30 * 30.436875, rel=1e-3)
    assert units.convert(20, "degC", "degF") == pytest.approx(68)
    assert units.convert(50, "%", "dimensionless") == pytest.approx(0.5)
    assert units.compatible("m3", "litres")
    assert not units.compatible("kWh", "t")
    assert not units.compatible("people per year", "visits per year")


def test_staff_accept_a_proposal_into_the_catalogue(admin_client):
    proposal = IndicatorFactory(name="Bikes parked in hubs", status="proposed", unit="bicycles per day")

    admin_client.post(
        reverse("admin:kpis_indicator_changelist"), {"action": "accept", "_selected_action": [proposal.pk]}
    )

    proposal.refresh_from_db()
    assert proposal.status == "catalogue"


def test_staff_merge_a_proposal_into_an_indicator_and_its_projects_move_along(admin_client, official, cluster):
    target = IndicatorFactory(name="Public transport trips", unit="trips per day")
    proposal = IndicatorFactory(name="Bus rides", status="proposed", unit="trips per year")
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, kpis=False)
    kpi = application.kpis.create(indicator=proposal, unit="trips per year", baseline=1, target=2, how_measured="T")
    url = reverse("admin:kpis_indicator_changelist")

    asked = admin_client.post(url, {"action": "merge", "_selected_action": [proposal.pk]})
    admin_client.post(url, {"action": "merge", "_selected_action": [proposal.pk], "apply": "1", "into": target.pk})

    assert "Which indicator do they become?" in asked.text
    kpi.refresh_from_db()
    assert kpi.indicator == target and kpi.unit == "trips per year"
    assert not Indicator.objects.filter(pk=proposal.pk).exists()


def test_a_merge_across_kinds_of_unit_is_refused_and_changes_nothing(staff_user):
    target = IndicatorFactory(name="Public transport trips", unit="trips per day")
    proposal = IndicatorFactory(name="Bus fuel", status="proposed", unit="litres")

    with pytest.raises(services.ValidationError, match="cannot be converted"):
        services.indicator_merge(source=proposal, into=target, by=staff_user)

    assert Indicator.objects.filter(pk=proposal.pk).exists()


def test_only_the_secretariat_curates(official):
    proposal = IndicatorFactory(name="Bus rides", status="proposed", unit="trips")

    with pytest.raises(services.PermissionDenied):
        services.indicator_accept(indicator=proposal, by=official)
    with pytest.raises(services.PermissionDenied):
        services.indicator_merge(source=proposal, into=IndicatorFactory(unit="trips"), by=UserFactory())
