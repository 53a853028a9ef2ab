"""The inventory of caches (core/caches.py): every cached page declares the rows it shows, a change to
them retires it, and nothing else does."""

import logging
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from applications.models import Introduction
from clusters.models import ClusterEmailPreference, ClusterMembership
from core import caches
from frontoffice.models import ProgrammeContacts
from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory, SolutionFactory
from tests.factories import (
    CallFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    IndicatorFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.teams.factories import OpenRoleFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _published_case(**fields):
    now = timezone.now()
    return ProjectApplicationFactory(status="accepted", submitted_at=now, decided_at=now, published_at=now, **fields)


def _rename_a_leader():
    leader = UserFactory()
    ClusterFactory(leaders=[leader])
    leader.full_name = "Min-ji Kim"
    leader.save()


def _register_and_rename_an_organisation():
    organisation = OrganisationFactory(kind="company")  # counted on the home page and in the catalogue
    organisation.name = "Acme Sensors"  # named as a member, or beside its case or solution
    organisation.save()


def _open_and_rename_a_cluster():
    cluster = ClusterFactory()  # listed in the catalogue
    cluster.name = "Urban Digital Twins"  # named beside its applications' matches, its cases and solutions
    cluster.save()


def _approve_a_request():
    request = ClusterMembershipFactory(status="pending", decided_at=None)
    request.status = ClusterMembership.Status.ACTIVE
    request.save()


def _rename_a_call():
    call = CallFactory()
    call.title = "Open data solutions 2027"
    call.save()


def _rename_a_round():
    team = TeamFactory()  # a member's profile names the round of each of its teams
    team.round.name = "GCTC 2019"
    team.round.save()


# For each model an entry may show: a change that every page showing it shows. A model declared in the inventory
# without a change here fails the test below: say what a visible change of it is.
VISIBLE_CHANGES = {
    "accounts.Organisation": _register_and_rename_an_organisation,
    "accounts.User": _rename_a_leader,
    "clusters.Cluster": _open_and_rename_a_cluster,
    "clusters.Cluster_leaders": lambda: ClusterFactory().leaders.add(UserFactory()),
    "clusters.ClusterMembership": _approve_a_request,
    "applications.ProjectApplication": _published_case,
    "applications.Kpi": lambda: _published_case(kpis=False).kpis.create(
        indicator=IndicatorFactory(name="Trees planted", unit="count"),
        unit="count",
        baseline=0,
        target=500,
        how_measured="Counted",
    ),
    "kpis.Indicator": lambda: IndicatorFactory(name="Electricity used").save(),
    "kpis.Indicator_clusters": lambda: IndicatorFactory(name="Bus ridership").clusters.add(ClusterFactory()),
    "applications.ProgressReport": lambda: (
        _published_case(kpis=False)
        .kpis.create(indicator=IndicatorFactory(name="Trees planted", unit="count"), unit="count", baseline=0, target=9)
        .reports.create(measured_on=timezone.now().date(), value=120, unit="count")
    ),
    "applications.TeamMember": lambda: _published_case().team.create(name="Jane Official", organisation="City"),
    "applications.PartnerSought": lambda: _published_case().partners_sought.create(kind="company", expertise="IoT"),
    "applications.SolutionRegistration": ApprovedSolutionFactory,
    "applications.SolutionRegistration_clusters": lambda: ApprovedSolutionFactory().clusters.add(ClusterFactory()),
    "applications.Deployment": lambda: DeploymentFactory(solution=ApprovedSolutionFactory()),
    "applications.SolutionBrochure": lambda: ApprovedSolutionFactory().brochures.create(
        original_name="leaks.pdf", size=1000, file="solutions/leaks.pdf"
    ),
    "applications.Introduction": lambda: Introduction.objects.create(
        application=ProjectApplicationFactory(status="submitted"), solution=ApprovedSolutionFactory()
    ),
    "events.Event": EventFactory,
    "clusters.ClusterEmailPreference": lambda: ClusterEmailPreference.objects.create(
        user=UserFactory(), cluster=ClusterFactory()
    ),
    "events.Event_related_clusters": lambda: EventFactory().related_clusters.add(ClusterFactory()),
    "events.Registration": lambda: RegistrationFactory(event=EventFactory(capacity=50)),
    "frontoffice.ProgrammeContacts": lambda: ProgrammeContacts(clusters_contact_email="anthony@we-gov.org").save(),
    "teams.Team": TeamFactory,
    "teams.TeamMembership": TeamMembershipFactory,
    "teams.OpenRole": OpenRoleFactory,
    "teams.Milestone": lambda: TeamFactory().milestones.create(title="Pilot live", planned_on=timezone.now().date()),
    "clusters.Round": _rename_a_round,
    "applications.Call": _rename_a_call,
}

DECLARED = [
    pytest.param(cached.name, shows.model, id=f"{cached.name}<-{shows.model}")
    for cached in caches.INVENTORY.values()
    for shows in cached.shows
]


@pytest.mark.parametrize(("name", "model"), DECLARED)
def test_a_visible_change_of_a_shown_row_retires_the_cache(name, model, django_capture_on_commit_callbacks):
    before = caches.current(name)

    with django_capture_on_commit_callbacks(execute=True):
        VISIBLE_CHANGES[model]()

    assert caches.current(name) != before


def _public_pages() -> list[str]:
    cluster = ClusterFactory(leaders=[UserFactory()])
    membership = ClusterMembershipFactory(cluster=cluster)
    case = _published_case(cluster=cluster)
    case.team.create(name="Jane Official", organisation="City")
    case.partners_sought.create(kind="company", expertise="IoT")
    solution = ApprovedSolutionFactory(clusters=[cluster])
    DeploymentFactory(solution=solution)
    event = EventFactory(related_clusters=[cluster])
    RegistrationFactory(event=event)
    indicator = IndicatorFactory(name="Trees planted", unit="count")
    indicator.clusters.add(cluster)
    for city in (case, _published_case(cluster=cluster)):
        kpi = city.kpis.create(indicator=indicator, unit="count", baseline=0, target=9, how_measured="Counted")
        kpi.reports.create(measured_on=timezone.now().date(), value=5, unit="count")
    api = "/api/v1/"
    team = TeamFactory(cluster=cluster, lead_organisation=membership.organisation, application=case)
    OpenRoleFactory(team=team)
    TeamMembershipFactory(team=team)
    team.milestones.create(title="Pilot live", planned_on=timezone.now().date())
    EventFactory(round=team.round)
    return [
        reverse("teams:directory"),
        reverse("teams:directory") + "?role=technology",
        team.get_absolute_url(),
        reverse("teams:round", args=[team.round.slug]),
        reverse("benchmarks:indicator", args=[indicator.pk]),
        reverse("benchmarks:cluster", args=[cluster.slug]),
        f"{api}clusters/",
        f"{api}clusters/{cluster.slug}/",
        f"{api}events/",
        f"{api}events/{event.slug}/",
        f"{api}cases/",
        f"{api}cases/{case.pk}/",
        f"{api}solutions/",
        f"{api}solutions/{solution.pk}/",
        f"{api}indicators/",
        f"{api}indicators/{indicator.pk}/",
        f"{api}indicators/{indicator.pk}/benchmark/",
        reverse("home"),
        reverse("clusters:list"),
        cluster.get_absolute_url(),
        reverse("cases:library"),
        reverse("cases:detail", args=[case.pk]),
        reverse("solutions:directory"),
        solution.get_absolute_url(),
        reverse("events:upcoming"),
        reverse("events:past"),
        reverse("events:cluster", args=[cluster.slug]),
        event.get_absolute_url(),
        reverse("take_part"),
        reverse("organisation_profile", args=[membership.organisation_id]),
        reverse("organisation_profile", args=[case.organisation_id]),
        reverse("organisation_profile", args=[solution.organisation_id]),
    ]


def _models_read(queries) -> set[str]:
    by_table = {model._meta.db_table: model._meta.label for model in apps.get_models(include_auto_created=True)}
    tables = {table for query in queries for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])}
    return {by_table[table] for table in tables if table in by_table}


def test_every_cached_page_declares_every_model_it_reads(client):
    """A new page under cache_public_page, or a new thing shown on one, must say what retires it."""
    for path in _public_pages():
        view = resolve(path.split("?")[0]).func
        cached = caches.entry(view.page_cache)
        declared = {shows.model for shows in cached.shows} | set(cached.reads_unshown)

        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path

        assert _models_read(queries.captured_queries) <= declared, (path, view.page_cache)


def test_every_page_cache_a_view_uses_is_in_the_inventory():
    with pytest.raises(ValueError, match="declare it in PAGES"):
        caches.cache_public_page("my-applications")


def _retires(name: str, change, capture) -> bool:
    before = caches.current(name)
    with capture(execute=True):
        change()
    return caches.current(name) != before


def test_a_draft_saved_retires_no_public_page(django_capture_on_commit_callbacks):
    """Nor the guidance kept for cities' application pages: the benchmark's writers save drafts all the time."""
    draft = ProjectApplicationFactory()
    solution_draft = SolutionFactory()
    entries = [*caches.PAGES, caches.entry("guidance")]
    # Staff's catalogue, made beforehand: each save below uses a new indicator.
    indicators = iter([IndicatorFactory(unit="count") for _ in entries])

    def save_drafts():
        draft.title = "Smart street lighting, second thoughts"
        draft.save()
        draft.kpis.create(
            indicator=next(indicators),
            unit="count",
            baseline=0,
            target=900,
            how_measured="Counted",
        )
        solution_draft.summary = "Sensors that listen."
        solution_draft.save()
        DeploymentFactory(solution=solution_draft)

    for page in entries:
        assert not _retires(page.name, save_drafts, django_capture_on_commit_callbacks), page.name


def test_a_request_to_join_and_its_decline_do_not_retire_the_catalogue(django_capture_on_commit_callbacks):
    cluster, city = ClusterFactory(leaders=[UserFactory()]), OrganisationFactory()

    def ask_and_decline():
        request = ClusterMembershipFactory(cluster=cluster, organisation=city, status="pending", decided_at=None)
        request.status = ClusterMembership.Status.DECLINED
        request.save()

    assert not _retires("catalogue", ask_and_decline, django_capture_on_commit_callbacks)
    assert not _retires("cluster-pages", ask_and_decline, django_capture_on_commit_callbacks)


def test_an_event_registration_retires_the_event_pages_only_where_they_show_places_left(
    django_capture_on_commit_callbacks,
):
    limited, open_to_all = EventFactory(capacity=50), EventFactory(capacity=None)
    people = iter(OrganisationMembershipFactory.create_batch(2 + len(caches.PAGES)))

    def register(event):
        person = next(people)
        return lambda: RegistrationFactory(event=event, user=person.user, organisation=person.organisation)

    assert not _retires("catalogue", register(limited), django_capture_on_commit_callbacks)
    assert _retires("events", register(limited), django_capture_on_commit_callbacks)
    # Without a capacity an event's pages show no count of registrations: nothing they show has changed.
    for page in caches.PAGES:
        assert not _retires(page.name, register(open_to_all), django_capture_on_commit_callbacks), page.name


def test_a_request_to_join_and_its_withdrawal_retire_no_public_page(django_capture_on_commit_callbacks):
    """Nor the public column of the cluster's page, which the person who asked reads again at once."""
    cluster, city = ClusterFactory(), OrganisationFactory()

    def ask_and_withdraw():
        request = ClusterMembershipFactory(cluster=cluster, organisation=city, status="pending", decided_at=None)
        request.status = ClusterMembership.Status.WITHDRAWN
        request.save()

    for page in [*caches.PAGES, caches.entry("cluster-page-parts")]:
        assert not _retires(page.name, ask_and_withdraw, django_capture_on_commit_callbacks), page.name


def test_signing_up_and_signing_in_retire_no_public_page(django_capture_on_commit_callbacks):
    def sign_up_and_in():
        person = OrganisationMembershipFactory().user
        person.last_login = timezone.now()
        person.save(update_fields=["last_login"])
        person.full_name = "Someone who leads nothing"
        person.save()

    for page in caches.PAGES:
        if page.name not in ("home", "catalogue"):  # a new organisation is counted there
            assert not _retires(page.name, sign_up_and_in, django_capture_on_commit_callbacks), page.name


def test_a_member_leaving_retires_the_catalogue(django_capture_on_commit_callbacks):
    membership = ClusterMembershipFactory()

    def leave():
        membership.status = ClusterMembership.Status.LEFT
        membership.save()

    assert _retires("catalogue", leave, django_capture_on_commit_callbacks)


def test_a_case_unpublished_retires_the_case_pages(django_capture_on_commit_callbacks):
    case = _published_case()

    def unpublish():
        case.published_at = None
        case.save()

    assert _retires("cases", unpublish, django_capture_on_commit_callbacks)


def test_a_renewal_that_fails_is_logged_as_an_error(settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    with caplog.at_level(logging.ERROR, logger="core.caches"):
        ClusterFactory(name="Digital Twins")  # the save itself goes through

    retired = [r for r in caplog.records if r.name == "core.caches" and r.levelno == logging.ERROR]
    assert retired and "catalogue" in " ".join(r.getMessage() for r in retired)


def test_a_request_to_fill_a_team_role_retires_the_team_pages_only_once_accepted(django_capture_on_commit_callbacks):
    role = OpenRoleFactory()
    asked = []

    def ask():
        asked.append(TeamMembershipFactory(team=role.team, open_role=role, state="asked"))

    def accept():
        asked[0].state = "active"
        asked[0].save()

    assert not _retires("teams", ask, django_capture_on_commit_callbacks)
    assert _retires("teams", accept, django_capture_on_commit_callbacks)


def test_the_back_office_filters_are_retired_only_by_a_row_naming_an_event_or_cluster_no_other_row_names(
    django_capture_on_commit_callbacks,
):
    """The registrations' list offers the events that have registrations, the memberships' list the clusters that
    have members: a registration or a request for one already offered changes neither (the benchmark's writers
    make them all the time, and each used to make the next view of the list read every registration)."""
    event, cluster = EventFactory(), ClusterFactory()
    RegistrationFactory(event=event)
    ClusterMembershipFactory(cluster=cluster)
    people = iter(OrganisationMembershipFactory.create_batch(3))
    registrations = []

    def register(for_event):
        def make():
            person = next(people)
            registrations.append(
                RegistrationFactory(event=for_event, user=person.user, organisation=person.organisation)
            )

        return make

    def cancel():
        registrations[0].status = "cancelled"
        registrations[0].save()

    def ask_to_join():
        ClusterMembershipFactory(cluster=cluster, status="pending", decided_at=None)

    capture = django_capture_on_commit_callbacks
    assert not _retires("admin-filter-choices", register(event), capture)
    assert not _retires("admin-filter-choices", cancel, capture)
    assert not _retires("admin-filter-choices", ask_to_join, capture)
    assert _retires("admin-filter-choices", register(EventFactory()), capture)
    assert _retires("admin-filter-choices", registrations[-1].delete, capture)  # its event's last: no longer offered
