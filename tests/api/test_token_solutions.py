"""A company's solutions over the API with an organisation token: the same forms, services and transition as the
"my solutions" pages (api/organisation.py shares one implementation with the applications endpoint)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services import token_create
from applications.models import SolutionRegistration
from notifications.models import OutboundEmail
from tests.api.test_tokens import _bearer, json_values
from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory, SolutionFactory
from tests.factories import ClusterFactory, OrganisationFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisation/solutions/"


@pytest.fixture
def company_admin(db):
    company = OrganisationFactory(kind="company", name="Acme Sensors")
    return OrganisationMembershipFactory(organisation=company, role="admin").user


@pytest.fixture
def theme(db, user):
    return ClusterFactory(slug="water", leaders=[user])


@pytest.fixture
def raw(company_admin):
    return token_create(by=company_admin, name="Site", access="read_write", valid_days=30)[1]


def test_a_company_drafts_describes_and_submits_a_solution_and_the_leader_is_emailed(raw, theme, user):
    client = _bearer(raw)

    started = client.post(URL, {"name": "Leak finder"}, format="json")
    pk = started.json()["id"]
    too_early = client.post(f"{URL}{pk}/submit/")
    changed = client.patch(
        f"{URL}{pk}/",
        {
            "summary": "Sensors find leaks.",
            "description": "Acoustic sensors on water mains.",
            "clusters": [theme.slug],
            "offering": "product",
            "maturity": "deployed",
            "website": "www.example.com",
            "deployments": [{"city": "Lyon", "country": "FR", "year": 2024, "result": "Fewer leaks."}],
        },
        format="json",
    )
    submitted = client.post(f"{URL}{pk}/submit/")

    assert started.status_code == 201 and started.json()["status"] == "draft" and started.json()["problems"]
    assert too_early.status_code == 400 and too_early.json()["errors"]
    assert changed.status_code == 200, changed.json()
    assert changed.json()["problems"] == [] and changed.json()["clusters"] == [theme.slug]
    assert changed.json()["website"] == "https://www.example.com"
    assert changed.json()["deployments"][0]["city"] == "Lyon"
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    solution = SolutionRegistration.objects.get(pk=pk)
    assert solution.status == "submitted" and solution.history.filter(to_status="submitted").exists()
    assert OutboundEmail.objects.filter(recipient=user.email).exists()


def test_deployments_sent_replace_the_rows_kept(company_admin, raw, theme):
    solution = SolutionFactory(organisation=company_admin.organisation, clusters=[theme])
    DeploymentFactory(solution=solution, city="Old town")

    response = _bearer(raw).patch(
        f"{URL}{solution.pk}/",
        {"deployments": [{"city": "Seoul", "country": "KR", "year": 2025, "result": ""}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert list(solution.deployments.values_list("city", flat=True)) == ["Seoul"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"clusters": ["no-such-cluster"]}, "clusters"),
        ({"clusters": "water"}, "clusters"),
        ({"offering": "everything"}, "offering"),
        ({"website": "not a site"}, "website"),
        ({"status": "accepted"}, "status"),
        ({"deployments": [{"city": "Lyon", "year": "soon"}]}, "deployments.0.year"),
        ({"deployments": [{"town": "Lyon"}]}, "deployments.town"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_changes_are_refused_with_the_field_and_nothing_is_saved(company_admin, raw, theme, body, field):
    solution = SolutionFactory(organisation=company_admin.organisation, clusters=[theme], name="Kept")

    response = _bearer(raw).patch(f"{URL}{solution.pk}/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    solution.refresh_from_db()
    assert solution.name == "Kept" and solution.status == "draft"


def test_an_approved_solution_can_no_longer_be_changed(company_admin, raw, theme):
    solution = ApprovedSolutionFactory(organisation=company_admin.organisation, clusters=[theme])

    response = _bearer(raw).patch(f"{URL}{solution.pk}/", {"name": "New"}, format="json")

    assert response.status_code == 409 and response.json()["detail"]


def test_a_city_is_told_it_does_not_offer_solutions(org_admin):
    raw_city = token_create(by=org_admin, name="City", access="read_write", valid_days=30)[1]

    listed = _bearer(raw_city).get(URL)
    started = _bearer(raw_city).post(URL, {"name": "Ours"}, format="json")

    assert listed.status_code == 403 and listed.json()["detail"]
    assert started.status_code == 403 and not SolutionRegistration.objects.exists()


def test_the_list_takes_the_same_number_of_queries_for_one_row_and_a_hundred(company_admin, raw, theme):
    client = _bearer(raw)
    SolutionFactory(organisation=company_admin.organisation, clusters=[theme])
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for _ in range(99):
        SolutionFactory(organisation=company_admin.organisation, clusters=[theme])
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(URL, {"page_size": 100})

    assert len(response.json()["results"]) == 100
    assert len(hundred) == len(one) <= 10


FUZZED_FIELDS = ["name", "clusters", "offering", "maturity", "website", "deployments", "status", "organisation"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(FUZZED_FIELDS), json_values, max_size=5))
def test_random_changes_never_break_the_api_nor_store_an_invalid_row(company_admin, raw, theme, body):
    with transaction.atomic():
        solution = SolutionFactory(organisation=company_admin.organisation, clusters=[theme])
        response = _bearer(raw).patch(f"{URL}{solution.pk}/", body, format="json")
        assert response.status_code in (200, 400), response.content
        assert response["Content-Type"] == "application/json"
        solution.refresh_from_db()
        solution.full_clean(validate_unique=False, validate_constraints=False)
        assert solution.status == "draft" and solution.organisation == company_admin.organisation
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["name", "clusters", "status"]), json_values, max_size=3))
def test_random_new_drafts_never_break_the_api(raw, body):
    with transaction.atomic():
        response = _bearer(raw).post(URL, body, format="json")
        assert response.status_code in (201, 400), response.content
        transaction.set_rollback(True)
