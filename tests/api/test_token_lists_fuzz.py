"""Random query parameters on every organisation list (found from the URLs, so a new endpoint is fuzzed too): a
JSON answer, never a 500. The bodies of their writes are fuzzed beside each endpoint's tests."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services import token_create
from tests.api.test_tokens import _bearer
from tests.security.test_authorization_matrix import _project_url_names
from tests.security.test_fuzz_forms import API_PARAMETERS, nasty_text

pytestmark = pytest.mark.django_db

ORGANISATION_LISTS = sorted(
    name for name in _project_url_names() if name.startswith("api:organisation-") and name.endswith("-list")
)


def test_the_organisation_lists_are_found():
    assert {"api:organisation-application-list", "api:organisation-solution-list"} <= set(ORGANISATION_LISTS)
    assert "api:organisation-registration-list" in ORGANISATION_LISTS


@pytest.mark.parametrize("name", ORGANISATION_LISTS)
def test_random_parameters_never_break_an_organisation_list(name, org_admin):
    client = _bearer(token_create(by=org_admin, name="Fuzz", access="read", valid_days=30)[1])
    url = reverse(name)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=st.dictionaries(st.sampled_from(API_PARAMETERS), nasty_text, max_size=3))
    def get(params):
        response = client.get(url, params)
        # A bad cursor is 404 (DRF's answer, as on the public lists).
        assert response.status_code in (200, 400, 403, 404), (params, response.content)
        assert response["Content-Type"] == "application/json"

    get()
