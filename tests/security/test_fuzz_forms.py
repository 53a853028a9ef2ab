"""Hypothesis throws random input at every form of the project: no 500, and nothing invalid is ever stored.

Each target names a URL, who posts to it, and the fields its form has. Every example posts a random subset
of those fields (so fields go missing) with random values: ordinary text, unicode, control and NUL
characters, huge strings, numbers and dates in the wrong places. After each request, every row of the
models the form writes must pass its model validation (`full_clean`): a half-written or invalid row fails.
"""

from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Organisation, OrganisationMembership, User
from applications.models import (
    Deployment,
    Introduction,
    Kpi,
    LeaderComment,
    ProjectApplication,
    SolutionRegistration,
    TeamMember,
)
from clusters.models import ClusterMembership, ThemeSuggestion
from events.models import Registration
from tests.applications.solution_factories import SolutionFactory
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)

EXAMPLES = 12
EXAMPLES_TRIED = []

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters, NUL included
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=200, max_size=400),
    st.sampled_from(["", " ", "0", "-1", "1e309", "2026-02-30", "NaN", "☃" * 3000, "x" * 20_000, "<script>", "'; --"]),
    st.integers().map(str),
)


API_PARAMETERS = ["cursor", "page_size", "lang"]


@dataclass
class Target:
    url: object  # callable(world) -> path
    who: str
    fields: list[str]
    models: list = field(default_factory=list)
    method: str = "post"
    fixed: dict = field(default_factory=dict)  # management-form fields and the like, always sent


class World:
    def __init__(self):
        self.city = OrganisationFactory(kind="city")
        self.official = OrganisationMembershipFactory(organisation=self.city, role="admin").user
        self.newcomer = UserFactory()
        self.leader = UserFactory()
        self.staff = UserFactory(is_staff=True, is_superuser=True)
        self.cluster = ClusterFactory(leaders=[self.leader])
        self.application = ProjectApplicationFactory(organisation=self.city, cluster=self.cluster, kpis=False)
        self.sent = ProjectApplicationFactory(organisation=self.city, cluster=self.cluster, status="under_review")
        self.event = EventFactory()
        self.join_request = OrganisationMembershipFactory(organisation=self.city, status="pending", decided_at=None)
        self.provider = OrganisationMembershipFactory(organisation__kind="company", role="admin").user
        self.solution = SolutionFactory(
            organisation=self.provider.organisation, created_by=self.provider, clusters=[self.cluster]
        )


EDIT_FIELDS = [
    "title",
    "summary",
    "cluster",
    "action_cluster",
    "problem",
    "approach",
    "technologies",
    "stage",
    "start_date",
    "end_date",
    "standards",
    "interoperability",
    "replicability",
    "scalability",
    "cybersecurity",
    "privacy",
    "budget",
    "currency",
    "funding_sources",
    "contact_name",
    "contact_email",
    "contact_phone",
    "team-0-name",
    "team-0-organisation",
    "team-0-role",
    "kpis-0-name",
    "kpis-0-unit",
    "kpis-0-baseline",
    "kpis-0-target",
    "kpis-0-how_measured",
    "partners-0-kind",
    "partners-0-expertise",
    "doc-kind",
    "submit",
]
EDIT_MANAGEMENT = {
    f"{prefix}-{key}": value
    for prefix in ("team", "partners", "kpis")
    for key, value in (("TOTAL_FORMS", "1"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "50"))
}

TARGETS = {
    "profile": Target(
        lambda w: reverse("accounts:profile"), "official", ["full_name", "job_title", "preferred_language"], [User]
    ),
    "organisation_create": Target(
        lambda w: reverse("accounts:organisation_create"),
        "newcomer",
        ["name", "kind", "country", "city", "website", "is_wego_member"],
        [Organisation, OrganisationMembership],
    ),
    "organisation_join_search": Target(
        lambda w: reverse("accounts:organisation_join"),
        "newcomer",
        ["q", "organisation", "message"],
        [OrganisationMembership],
    ),
    "membership_decide": Target(
        lambda w: reverse("accounts:membership_decide", args=[w.join_request.pk]),
        "official",
        ["decision", "note"],
        [OrganisationMembership],
    ),
    "account_delete": Target(lambda w: reverse("accounts:account_delete"), "official", ["password"], [User]),
    "cluster_join": Target(
        lambda w: reverse("clusters:join", args=[w.cluster.slug]), "official", ["motivation"], [ClusterMembership]
    ),
    "theme_suggest": Target(
        lambda w: reverse("clusters:suggest"), "official", ["title", "rationale", "participants"], [ThemeSuggestion]
    ),
    "catalogue_filters": Target(
        lambda w: reverse("clusters:list"), "anonymous", ["kind", "status", "page"], method="get"
    ),
    "application_new": Target(
        lambda w: reverse("applications:new"), "official", ["title", "cluster"], [ProjectApplication]
    ),
    "application_edit": Target(
        lambda w: reverse("applications:edit", args=[w.application.pk]),
        "official",
        EDIT_FIELDS,
        [ProjectApplication, TeamMember, Kpi],
        fixed=EDIT_MANAGEMENT,
    ),
    "application_transition": Target(
        lambda w: reverse("applications:transition", args=[w.sent.pk]),
        "staff",
        ["action", "note"],
        [ProjectApplication],
    ),
    "leader_comment": Target(
        lambda w: reverse("applications:comment", args=[w.sent.pk]), "leader", ["body"], [LeaderComment]
    ),
    "case_library_search": Target(
        lambda w: reverse("cases:library"), "anonymous", ["q", "cluster", "country", "stage", "page"], method="get"
    ),
    "solution_new": Target(lambda w: reverse("solutions:new"), "provider", ["name"], [SolutionRegistration]),
    "solution_edit": Target(
        lambda w: reverse("solutions:edit", args=[w.solution.pk]),
        "provider",
        [
            "name",
            "summary",
            "description",
            "clusters",
            "offering",
            "maturity",
            "standards",
            "website",
            "deployments-0-city",
            "deployments-0-country",
            "deployments-0-year",
            "deployments-0-result",
            "submit",
        ],
        [SolutionRegistration, Deployment],
        fixed={
            "deployments-TOTAL_FORMS": "1",
            "deployments-INITIAL_FORMS": "0",
            "deployments-MIN_NUM_FORMS": "0",
            "deployments-MAX_NUM_FORMS": "50",
        },
    ),
    "solution_directory_filters": Target(
        lambda w: reverse("solutions:directory"),
        "anonymous",
        ["q", "cluster", "offering", "maturity", "country", "page"],
        method="get",
    ),
    "introduce": Target(
        lambda w: reverse("solutions:introduce", args=[w.solution.pk]),
        "leader",
        ["application", "next"],
        [Introduction],
    ),
    "event_register": Target(
        lambda w: reverse("events:register", args=[w.event.slug]), "official", ["attendance"], [Registration]
    ),
    "event_lists": Target(lambda w: reverse("events:upcoming"), "anonymous", ["page", "kind"], method="get"),
    # The public API's lists: every filter, the cursor, the page size and the language.
    "api_clusters": Target(
        lambda w: reverse("api:cluster-list"), "anonymous", ["kind", "status", *API_PARAMETERS], method="get"
    ),
    "api_cases": Target(
        lambda w: reverse("api:case-list"),
        "anonymous",
        ["q", "cluster", "country", "stage", *API_PARAMETERS],
        method="get",
    ),
    "api_solutions": Target(
        lambda w: reverse("api:solution-list"),
        "anonymous",
        ["q", "cluster", "offering", "maturity", "country", *API_PARAMETERS],
        method="get",
    ),
    "api_events": Target(
        lambda w: reverse("api:event-list"),
        "anonymous",
        ["when", "cluster", "kind", "country", *API_PARAMETERS],
        method="get",
    ),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)


def _assert_rows_valid(models) -> None:
    for model in models:
        for row in model.objects.all():
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                pytest.fail(f"An invalid {model.__name__} was stored: {error.message_dict}")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_random_input_never_breaks_a_form(name, world):
    target = TARGETS[name]
    client = Client()
    if target.who != "anonymous":
        client.force_login(getattr(world, target.who))
    url = target.url(world)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.dictionaries(st.sampled_from(target.fields), nasty_text))
    def post(data):
        from django.db import transaction

        EXAMPLES_TRIED.append(name)
        with transaction.atomic():
            response = getattr(client, target.method)(url, {**target.fixed, **data})
            assert response.status_code < 500, f"{target.method.upper()} {url} with {data!r} answered 500"
            if url.startswith("/api/"):
                assert response["Content-Type"] == "application/json", f"{url} with {data!r} answered no JSON"
            _assert_rows_valid(target.models)
            transaction.set_rollback(True)

    post()
