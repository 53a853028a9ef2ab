"""core.queries: child rows with their parent's query (with_child_rows); queries built once (PreparedQuery)."""

import pytest

pytestmark = pytest.mark.django_db


def test_child_rows_come_with_the_parents_query_and_read_as_prefetched(django_assert_num_queries):
    from applications.models import PartnerSought, ProjectApplication, TeamMember
    from core.queries import child_rows_attach, with_child_rows
    from tests.factories import ProjectApplicationFactory

    application = ProjectApplicationFactory()
    TeamMember.objects.create(application=application, name="Ji-won Park", organisation="Seoul", role="Lead")
    TeamMember.objects.create(application=application, name="Ana Ruiz", organisation="Bilbao")
    PartnerSought.objects.create(application=application, kind="academia", expertise="Air quality models")

    with django_assert_num_queries(1):
        loaded = with_child_rows(ProjectApplication.objects.all(), "team", "partners_sought").get(pk=application.pk)
        child_rows_attach(loaded, "team", "partners_sought")
        team = [(member.name, member.organisation, member.role) for member in loaded.team.all()]
        partners = [(partner.get_kind_display(), partner.expertise) for partner in loaded.partners_sought.all()]
        assert all(member.application is loaded for member in loaded.team.all())

    assert team == [("Ji-won Park", "Seoul", "Lead"), ("Ana Ruiz", "Bilbao", "")]
    assert partners == [(PartnerSought.Kind.ACADEMIA.label, "Air quality models")]
    # They are the stored rows: changed and saved, they stay two.
    member = loaded.team.all()[1]
    member.role = "Partner city"
    member.save()
    assert list(TeamMember.objects.filter(application=application).values_list("role", flat=True)) == [
        "Lead",
        "Partner city",
    ]


def _person_as_read(user) -> dict:
    """What the request's person carries: their fields, organisation, second factor and cluster roles."""
    membership = user._active_membership
    return {
        "fields": {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields},
        "membership": membership and (membership.pk, membership.organisation.pk, membership.organisation.name),
        "authenticator": user._has_authenticator_app,
        "led": sorted(user._led_cluster_list),
        "member": sorted(user._member_cluster_list),
    }


def test_a_prepared_query_reads_what_the_queryset_reads_in_one_query(django_assert_num_queries):
    from accounts.backends import signed_in_people
    from clusters.rules import with_cluster_roles
    from core.queries import PreparedQuery
    from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationMembershipFactory, UserFactory

    membership = OrganisationMembershipFactory(organisation__name="City of Daejeon")
    leader = membership.user
    led = ClusterFactory(leaders=[leader])
    joined = ClusterMembershipFactory(organisation=membership.organisation).cluster
    ClusterMembershipFactory(organisation=membership.organisation, status="pending")  # not a member yet
    newcomer = UserFactory()  # no organisation yet
    people = PreparedQuery(lambda pk: with_cluster_roles(signed_in_people()).filter(pk=pk))

    for person in (leader, newcomer, leader):  # the second read of a person runs the SQL built by the first
        with django_assert_num_queries(1):
            [prepared] = people.list(person.pk)
        [built] = with_cluster_roles(signed_in_people()).filter(pk=person.pk)
        if not hasattr(built, "_active_membership"):  # neither sets a filtered relation that matched nothing
            assert not hasattr(prepared, "_active_membership")
            built._active_membership = prepared._active_membership = None
        assert _person_as_read(prepared) == _person_as_read(built)
        assert prepared._state.adding is False and prepared._state.db == "default"

    assert _person_as_read(people.list(leader.pk)[0])["led"] == [led.pk]
    assert _person_as_read(people.list(leader.pk)[0])["member"] == [joined.pk]
    assert people.list(newcomer.pk + 1000) == []


def test_a_prepared_query_converts_values_as_the_queryset_does():
    """The fields' converters run on the prepared rows too (decimals, a date, an indicator read with select_related)."""
    from decimal import Decimal

    from applications.models import Kpi
    from core.queries import PreparedQuery
    from tests.factories import IndicatorFactory, ProjectApplicationFactory

    application = ProjectApplicationFactory()
    indicator = IndicatorFactory()
    Kpi.objects.create(application=application, indicator=indicator, unit="kWh", baseline=Decimal("12.50"), target=9)
    Kpi.objects.create(application=application, indicator=IndicatorFactory(), unit="MWh", baseline=Decimal("0.75"))

    def kpis_of(pk):  # distinct, ordered by a column of a table it does not read: that column comes extra
        return (
            Kpi.objects.filter(application_id=pk)
            .select_related("indicator")
            .distinct()
            .order_by("application__title", "unit")
        )

    prepared = PreparedQuery(kpis_of).list(application.pk)
    built = list(kpis_of(application.pk))

    assert [(kpi.pk, kpi.unit, kpi.baseline, kpi.target, kpi.indicator.name) for kpi in prepared] == [
        (kpi.pk, kpi.unit, kpi.baseline, kpi.target, kpi.indicator.name) for kpi in built
    ]
    units = [kpi.unit for kpi in prepared]
    assert len(units) == 3 and units == sorted(units)  # the factory's own KPI and these two
    [kwh] = [kpi for kpi in prepared if kpi.unit == "kWh"]
    assert kwh.baseline == Decimal("12.50") and kwh.indicator.created_at == indicator.created_at


def test_a_prepared_query_needs_its_value_among_the_parameters():
    from accounts.models import User
    from core.queries import PreparedQuery

    with pytest.raises(ValueError, match="must be a parameter"):
        PreparedQuery(lambda pk: User.objects.filter(is_active=True)).list(1)


def test_a_prepared_query_gets_one_row_or_says_there_is_none():
    from applications.models import ProjectApplication
    from core.queries import PreparedQuery
    from tests.factories import ProjectApplicationFactory

    application = ProjectApplicationFactory(title="Smart poles in Daejeon")
    applications = PreparedQuery(lambda pk: ProjectApplication.objects.filter(pk=pk))

    assert applications.get(application.pk).title == "Smart poles in Daejeon"
    with pytest.raises(ProjectApplication.DoesNotExist):
        applications.get(application.pk + 1000)


def test_a_prepared_query_is_built_for_each_language(django_assert_num_queries):
    """modeltranslation orders by the reader's language's column: the SQL built in English is not French's."""
    from django.utils import translation

    from clusters.models import Cluster
    from core.queries import PreparedQuery
    from tests.factories import ClusterFactory

    first = ClusterFactory(name_en="Air quality", name_fr="Qualité de l'air")
    second = ClusterFactory(name_en="Water", name_fr="Eau")
    clusters = PreparedQuery(lambda pk: Cluster.objects.filter(pk__gte=pk).order_by("name"))

    for language, expected in (("en", [first, second]), ("fr", [second, first]), ("en", [first, second])):
        with translation.override(language), django_assert_num_queries(1):
            assert clusters.list(first.pk) == expected


def test_a_prepared_query_reads_what_its_queryset_prefetches(django_assert_num_queries):
    from applications.models import Kpi, ProjectApplication
    from core.queries import PreparedQuery
    from tests.factories import IndicatorFactory, ProjectApplicationFactory

    application = ProjectApplicationFactory()  # with a KPI
    Kpi.objects.create(application=application, indicator=IndicatorFactory(), unit="t CO2e", baseline=40)
    applications = PreparedQuery(lambda pk: ProjectApplication.objects.filter(pk=pk).prefetch_related("kpis"))

    with django_assert_num_queries(2):
        read = applications.get(application.pk)
        kpis = list(read.kpis.all())
    assert kpis == list(Kpi.objects.filter(application=application)) and len(kpis) == 2


def test_attached_rows_read_as_prefetched(django_assert_num_queries):
    """attach_related gives each parent its own children, in the order given, each child's parent without a query."""
    from applications.models import Kpi
    from core.queries import attach_related
    from tests.factories import IndicatorFactory, ProjectApplicationFactory

    busy, quiet = ProjectApplicationFactory(), ProjectApplicationFactory(kpis=False)  # the first with a KPI
    Kpi.objects.create(application=busy, indicator=IndicatorFactory(), unit="t CO2e", baseline=40)
    kpis = list(Kpi.objects.filter(application__in=[busy, quiet]).order_by("-pk"))
    assert len(kpis) == 2

    with django_assert_num_queries(0):
        attach_related([busy, quiet], "kpis", kpis)
        assert list(busy.kpis.all()) == kpis
        assert list(quiet.kpis.all()) == []
        assert all(kpi.application is busy for kpi in busy.kpis.all())


def test_a_query_that_reads_the_clock_cannot_be_prepared():
    """Its moment would be the first build's for ever."""
    from django.utils import timezone

    from applications.models import ProjectApplication
    from core.queries import PreparedQuery

    with pytest.raises(ValueError, match="changed between two builds"):
        PreparedQuery(lambda pk: ProjectApplication.objects.filter(pk=pk, updated_at__lte=timezone.now())).list(1)


def test_a_prepared_querys_value_may_stand_in_several_places():
    from clusters.models import Cluster
    from core.queries import PreparedQuery
    from tests.factories import ClusterFactory

    first, second = ClusterFactory(), ClusterFactory()
    clusters = PreparedQuery(lambda pk: Cluster.objects.filter(pk__gte=pk, pk__lte=pk))

    assert clusters.list(first.pk) == [first] and clusters.list(second.pk) == [second]
