"""Organisation tokens: made on the tokens page by an administrator, shown once, stored hashed, revocable; with
one, a program drafts, completes and submits its organisation's applications through the same services."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from api.models import OrganisationToken
from api.services import token_create, token_digest
from applications.models import ProjectApplication
from notifications.models import OutboundEmail
from tests.factories import (
    ClusterFactory,
    ProjectApplicationFactory,
)

pytestmark = pytest.mark.django_db

WORKSHEET = {
    "summary": "Gauges on the river warn districts an hour before a flood.",
    "problem": "Flash floods reach the old town with no warning.",
    "approach": "Radar gauges upstream and SMS alerts.",
    "technologies": "LoRaWAN gauges, a public alert service.",
    "stage": "ongoing",
    "start_date": "2026-01-15",
    "standards": "OGC SensorThings",
    "replicability": "Any river city can reuse the open playbook.",
    "cybersecurity": "Signed firmware.",
    "privacy": "No personal data is collected.",
    "budget": "125000",
    "funding_sources": "City budget.",
    "contact_name": "Min-jun Kim",
    "contact_email": "minjun@city.example",
    "kpis": [{"name": "Warning time", "unit": "minutes", "baseline": "0", "target": "60", "how_measured": "Logs"}],
    "team": [{"name": "Ji-woo Park", "organisation": "River Lab", "role": "Sensors"}],
}


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def theme(db, user):
    return ClusterFactory(slug="flood-resilience", leaders=[user])


@pytest.fixture
def write_token(org_admin):
    return token_create(by=org_admin, name="City website", access="read_write", valid_days=30)


@pytest.fixture
def read_token(org_admin):
    return token_create(by=org_admin, name="Dashboard", access="read", valid_days=30)


def test_an_administrator_creates_a_token_shown_once_and_stored_hashed(client, org_admin):
    client.force_login(org_admin)

    created = client.post(
        "/en/me/tokens/", {"name": "City website", "access": "read_write", "valid_days": "90"}, follow=True
    )
    again = client.get("/en/me/tokens/")

    raw = re.search(r'value="(wego_[^"]+)"', created.content.decode()).group(1)
    token = OrganisationToken.objects.get()
    assert created.redirect_chain == [("/en/me/tokens/", 302)]
    assert created.status_code == 200 and created["Cache-Control"] == "private, no-store"
    assert token.key_hash == token_digest(raw) and raw not in token.key_hash and token.prefix == raw[:12]
    assert token.organisation == org_admin.organisation and token.access == "read_write"
    assert (token.expires_at - timezone.now()).days in (89, 90)
    assert raw not in again.content.decode() and f"{token.prefix}…" in again.content.decode()


def test_the_profile_page_links_administrators_to_their_tokens(client, org_admin, org_contact):
    client.force_login(org_admin)
    assert "/en/me/tokens/" in client.get("/en/me/").content.decode()
    client.force_login(org_contact)
    assert "/en/me/tokens/" not in client.get("/en/me/").content.decode()


def test_a_member_who_is_not_an_administrator_cannot_create_tokens(client, org_contact):
    client.force_login(org_contact)

    response = client.post("/en/me/tokens/", {"name": "Mine", "access": "read", "valid_days": "30"})

    assert response.status_code == 403 and not OrganisationToken.objects.exists()


def test_a_token_without_a_name_is_refused_with_the_reason(client, org_admin):
    client.force_login(org_admin)

    response = client.post("/en/me/tokens/", {"name": "", "access": "read", "valid_days": "30"})

    assert response.status_code == 400 and "Give the token a name" in response.content.decode()


def test_a_revoked_token_stops_working_at_once(client, org_admin, write_token):
    token, raw = write_token
    assert _bearer(raw).get("/api/v1/organisation/applications/").status_code == 200
    client.force_login(org_admin)

    client.post(f"/en/me/tokens/{token.pk}/revoke/")
    response = _bearer(raw).get("/api/v1/organisation/applications/")

    token.refresh_from_db()
    assert token.revoked_by == org_admin and token.revoked_at
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(write_token):
    token, raw = write_token
    OrganisationToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = _bearer(raw).get("/api/v1/organisation/applications/")

    assert response.status_code == 401 and "expired" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer wego_not-a-real-token", "Bearer something-else", "Bearer " + "x" * 500])
def test_unknown_tokens_are_refused_with_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/organisation/applications/")

    assert response.status_code == 401 and response.json()["detail"]


def test_without_a_token_the_organisation_endpoints_ask_for_one(api):
    response = api.get("/api/v1/organisation/applications/")

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_a_token_stops_working_when_its_creator_is_no_longer_an_administrator(org_admin, write_token):
    _token, raw = write_token
    org_admin.active_membership.role = "contact"
    org_admin.active_membership.save()

    assert _bearer(raw).get("/api/v1/organisation/applications/").status_code == 401


def test_last_use_is_recorded(write_token):
    token, raw = write_token

    _bearer(raw).get("/api/v1/organisation/applications/")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_only_token_reads_but_cannot_write(org_admin, read_token, theme):
    _token, raw = read_token
    application = ProjectApplicationFactory(organisation=org_admin.organisation, cluster=theme)

    listed = _bearer(raw).get("/api/v1/organisation/applications/").json()["results"]
    started = _bearer(raw).post("/api/v1/organisation/applications/", {"title": "New"}, format="json")

    assert [row["id"] for row in listed] == [application.pk]
    assert started.status_code == 403 and "read-only" in started.json()["detail"]


def test_a_token_never_reaches_another_organisations_applications(write_token, theme):
    _token, raw = write_token
    other = ProjectApplicationFactory(cluster=theme)
    client = _bearer(raw)

    assert client.get(f"/api/v1/organisation/applications/{other.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/organisation/applications/{other.pk}/", {"title": "Mine"}, format="json").status_code
        == 404
    )
    assert client.post(f"/api/v1/organisation/applications/{other.pk}/submit/").status_code == 404
    assert other.pk not in [row["id"] for row in client.get("/api/v1/organisation/applications/").json()["results"]]


def test_a_program_drafts_completes_and_submits_an_application_and_the_leader_is_emailed(write_token, theme, user):
    _token, raw = write_token
    client = _bearer(raw)

    started = client.post(
        "/api/v1/organisation/applications/", {"title": "Flood early warning", "cluster": theme.slug}, format="json"
    )
    pk = started.json()["id"]
    too_early = client.post(f"/api/v1/organisation/applications/{pk}/submit/")
    changed = client.patch(f"/api/v1/organisation/applications/{pk}/", WORKSHEET, format="json")
    submitted = client.post(f"/api/v1/organisation/applications/{pk}/submit/")

    assert started.status_code == 201 and started.json()["status"] == "draft" and started.json()["problems"]
    assert too_early.status_code == 400 and too_early.json()["errors"]
    assert changed.status_code == 200, changed.json()
    assert changed.json()["problems"] == [] and changed.json()["kpis"][0]["name"] == "Warning time"
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    application = ProjectApplication.objects.get(pk=pk)
    assert application.status == "submitted" and application.history.filter(to_status="submitted").exists()
    assert OutboundEmail.objects.filter(recipient=user.email).exists()


def test_rows_sent_replace_the_rows_kept(org_admin, write_token, theme):
    _token, raw = write_token
    application = ProjectApplicationFactory(organisation=org_admin.organisation, cluster=theme)
    new_kpis = [
        {"name": "Energy", "unit": "MWh", "baseline": "10", "target": "5", "how_measured": "Meters"},
        {"name": "Outages", "unit": "incidents per year", "baseline": "12", "target": "2", "how_measured": "Logs"},
    ]

    response = _bearer(raw).patch(
        f"/api/v1/organisation/applications/{application.pk}/", {"kpis": new_kpis}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert list(application.kpis.values_list("indicator__name", flat=True)) == ["Energy", "Outages"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"budget": "a lot"}, "budget"),
        ({"cluster": "no-such-cluster"}, "cluster"),
        ({"round": "gctc-1999"}, "round"),
        ({"status": "accepted"}, "status"),
        ({"kpis": [{"name": "Energy"}]}, "kpis.0.unit"),
        ({"kpis": "many"}, "kpis"),
        ({"title": "x" * 500}, "title"),
    ],
)
def test_bad_changes_are_refused_with_the_field_and_nothing_is_saved(org_admin, write_token, theme, body, field):
    _token, raw = write_token
    application = ProjectApplicationFactory(organisation=org_admin.organisation, cluster=theme, title="Kept")

    response = _bearer(raw).patch(f"/api/v1/organisation/applications/{application.pk}/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    application.refresh_from_db()
    assert application.title == "Kept" and application.status == "draft"


def test_a_submitted_application_can_no_longer_be_changed(org_admin, write_token, theme):
    _token, raw = write_token
    application = ProjectApplicationFactory(
        organisation=org_admin.organisation, cluster=theme, status="submitted", submitted_at=timezone.now()
    )

    response = _bearer(raw).patch(
        f"/api/v1/organisation/applications/{application.pk}/", {"title": "New"}, format="json"
    )

    assert response.status_code == 409 and "submitted" in response.json()["detail"].lower()


FUZZED_FIELDS = [
    "title",
    "cluster",
    "action_cluster",
    "start_date",
    "budget",
    "currency",
    "stage",
    "kpis",
    "team",
    "partners_sought",
    "contact_email",
    "status",
    "organisation",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(FUZZED_FIELDS), json_values, max_size=5))
def test_random_changes_never_break_the_api_nor_store_an_invalid_row(org_admin, write_token, theme, body):
    _token, raw = write_token
    with transaction.atomic():
        application = ProjectApplicationFactory(organisation=org_admin.organisation, cluster=theme)
        response = _bearer(raw).patch(f"/api/v1/organisation/applications/{application.pk}/", body, format="json")
        assert response.status_code in (200, 400), response.content
        assert response["Content-Type"] == "application/json"
        application.refresh_from_db()
        application.full_clean(validate_unique=False, validate_constraints=False)
        assert application.status == "draft" and application.organisation == org_admin.organisation
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["title", "cluster", "action_cluster", "status"]), json_values, max_size=3))
def test_random_new_drafts_never_break_the_api(write_token, theme, body):
    _token, raw = write_token
    with transaction.atomic():
        response = _bearer(raw).post("/api/v1/organisation/applications/", body, format="json")
        assert response.status_code in (201, 400), response.content
        for application in ProjectApplication.objects.all():
            application.full_clean(validate_unique=False, validate_constraints=False)
            assert application.status == "draft"
        transaction.set_rollback(True)


def test_the_round_is_named_by_its_short_name(org_admin, write_token, theme):
    from tests.teams.factories import RoundFactory

    _token, raw = write_token
    gctc = RoundFactory(name="GCTC 2018", slug="gctc-2018", year=2018)
    application = ProjectApplicationFactory(organisation=org_admin.organisation, cluster=theme)

    response = _bearer(raw).patch(
        f"/api/v1/organisation/applications/{application.pk}/", {"round": "gctc-2018"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["round"] == "gctc-2018"
    application.refresh_from_db()
    assert application.round == gctc
