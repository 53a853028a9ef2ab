"""Staff tokens: a staff member with the second factor makes one on the tokens page (read-only, shown once, stored
hashed); with it a program reads the back office's exports, the same columns, as far as that person may now."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from api.models import OrganisationToken
from api.services import staff_token_create, token_create, token_digest
from api.staff import EXPORTS, _model_admin, column_key
from tests.api.test_tokens import _bearer
from tests.applications.solution_factories import SolutionFactory
from tests.conftest import activate_totp
from tests.factories import (
    ClusterMembershipFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.security.test_fuzz_forms import API_PARAMETERS, nasty_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(db):
    """A staff member with the second factor who may view everything (the back office's view permissions)."""
    member = UserFactory(is_staff=True)
    activate_totp(member)
    member.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return member


@pytest.fixture
def staff_raw(secretariat):
    return staff_token_create(by=secretariat, name="Reporting", valid_days=30)[1]


def test_a_staff_member_with_the_second_factor_creates_a_read_only_staff_token(client, secretariat):
    client.force_login(secretariat)

    page = client.get("/en/me/tokens/")
    created = client.post(
        "/en/me/tokens/", {"kind": "staff", "staff-name": "Reporting", "staff-valid_days": "30"}, follow=True
    )

    raw = re.search(r'value="(wego_[^"]+)"', created.content.decode()).group(1)
    token = OrganisationToken.objects.get()
    assert page.status_code == 200 and "Create a staff token" in page.content.decode()
    assert token.kind == "staff" and token.organisation is None and token.access == "read"
    assert token.key_hash == token_digest(raw) and token.created_by == secretariat
    assert raw not in client.get("/en/me/tokens/").content.decode()


def test_staff_without_the_second_factor_cannot_create_one(client):
    member = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(member)

    response = client.post("/en/me/tokens/", {"kind": "staff", "staff-name": "Mine", "staff-valid_days": "30"})

    assert response.status_code in (302, 403) and not OrganisationToken.objects.exists()


def test_an_organisation_administrator_cannot_create_a_staff_token(client, org_admin):
    client.force_login(org_admin)

    response = client.post("/en/me/tokens/", {"kind": "staff", "staff-name": "Mine", "staff-valid_days": "30"})

    assert response.status_code == 403 and not OrganisationToken.objects.exists()


def test_a_staff_token_reads_every_export_with_the_exports_columns(staff_raw):
    registration = RegistrationFactory()
    ProjectApplicationFactory()
    client = _bearer(staff_raw)

    for name, model in EXPORTS.items():
        response = client.get(f"/api/v1/staff/{name}/")
        assert response.status_code == 200, (name, response.json())
        columns = [column_key(column) for column in _model_admin(model).get_export_columns()]
        assert all(list(row) == columns for row in response.json()["results"]), name
    rows = client.get("/api/v1/staff/registrations/").json()["results"]
    assert [row["e_mail_address"] for row in rows] == [registration.user.email]


def test_a_staff_token_reads_only_what_its_creator_may_read_now(secretariat, staff_raw):
    secretariat.user_permissions.remove(Permission.objects.get(codename="view_registration"))
    client = _bearer(staff_raw)

    refused = client.get("/api/v1/staff/registrations/")
    allowed = client.get("/api/v1/staff/applications/")

    assert refused.status_code == 403 and "may not read registrations" in refused.json()["detail"]
    assert allowed.status_code == 200


def test_a_staff_token_stops_when_its_creator_leaves_the_staff(secretariat, staff_raw):
    User.objects.filter(pk=secretariat.pk).update(is_staff=False)

    response = _bearer(staff_raw).get("/api/v1/staff/applications/")

    assert response.status_code == 401 and "staff" in response.json()["detail"]


def test_a_staff_token_stops_when_its_creator_removes_the_second_factor(secretariat, staff_raw):
    secretariat.authenticator_set.all().delete()

    response = _bearer(staff_raw).get("/api/v1/staff/applications/")

    assert response.status_code == 403 and "two-factor" in response.json()["detail"]


def test_staff_and_organisation_tokens_do_not_cross(staff_raw, org_admin):
    organisation_raw = token_create(by=org_admin, name="City", access="read", valid_days=30)[1]

    staff_on_organisation = _bearer(staff_raw).get("/api/v1/organisation/applications/")
    organisation_on_staff = _bearer(organisation_raw).get("/api/v1/staff/applications/")

    assert staff_on_organisation.status_code == 403 and "staff token" in staff_on_organisation.json()["detail"]
    assert organisation_on_staff.status_code == 403 and "staff token" in organisation_on_staff.json()["detail"]


def test_a_staff_token_cannot_write(staff_raw):
    assert _bearer(staff_raw).post("/api/v1/staff/applications/", {}, format="json").status_code == 405


def _memberships():
    OrganisationMembershipFactory()


MAKERS = {
    "cluster-memberships": ClusterMembershipFactory,
    "registrations": RegistrationFactory,
    "applications": ProjectApplicationFactory,
    "solutions": SolutionFactory,
    "memberships": _memberships,
    "organisations": _memberships,
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_an_export_takes_the_same_number_of_queries_for_one_row_and_a_hundred(staff_raw, name):
    client = _bearer(staff_raw)
    MAKERS[name]()
    client.get(f"/api/v1/staff/{name}/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/staff/{name}/").status_code == 200
    for _ in range(99):
        MAKERS[name]()
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(f"/api/v1/staff/{name}/", {"page_size": 100})

    assert len(response.json()["results"]) == 100
    assert len(hundred) == len(one) <= 10, [query["sql"][:120] for query in hundred.captured_queries]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_random_parameters_never_break_an_export(staff_raw, name):
    client = _bearer(staff_raw)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=st.dictionaries(st.sampled_from(API_PARAMETERS), nasty_text, max_size=3))
    def get(params):
        response = client.get(f"/api/v1/staff/{name}/", params)
        # A bad cursor is 404 (DRF's answer, as on the public lists).
        assert response.status_code in (200, 400, 404), (params, response.content)
        assert response["Content-Type"] == "application/json"

    get()


def test_a_program_is_answered_in_json_even_when_the_tokens_creator_is_staff_without_the_second_factor(rf):
    """The two-factor middleware sends a person refused for want of the second factor to set an authenticator app
    up; a program calling the API with that person's token gets the API's own JSON answer."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import JsonResponse

    from accounts.middleware import StaffTwoFactorMiddleware

    middleware = StaffTwoFactorMiddleware(lambda request: JsonResponse({"detail": "Refused."}, status=403))
    answers = {}
    for path in ("/api/v1/organisation/applications/1/", "/en/applications/1/"):
        request = rf.get(path)
        request.user = UserFactory(is_staff=True)
        request.user._refused_for_two_factor = True  # as accounts.rules.staff_holding marks it
        request._messages = CookieStorage(request)
        answers[path] = middleware(request)

    assert answers["/api/v1/organisation/applications/1/"].status_code == 403
    assert answers["/en/applications/1/"].status_code == 302  # a person is sent to activate an authenticator app
