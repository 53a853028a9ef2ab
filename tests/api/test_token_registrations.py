"""Event registrations with an organisation token: the token's creator's own, registered and cancelled through the
same services as the event page (capacity, waiting list, closed registration)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services import token_create
from events.models import Registration
from notifications.models import OutboundEmail
from tests.api.test_tokens import _bearer, json_values
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisation/registrations/"


@pytest.fixture
def raw(org_admin):
    return token_create(by=org_admin, name="Site", access="read_write", valid_days=30)[1]


@pytest.fixture
def read_raw(org_admin):
    return token_create(by=org_admin, name="Dashboard", access="read", valid_days=30)[1]


def test_a_program_registers_its_administrator_who_is_emailed_then_cancels(org_admin, raw):
    event = EventFactory(capacity=10)
    client = _bearer(raw)

    registered = client.post(URL, {"event": event.slug, "attendance": "online"}, format="json")
    again = client.post(URL, {"event": event.slug, "attendance": "online"}, format="json")
    listed = client.get(URL).json()["results"]
    cancelled = client.post(f"{URL}{registered.json()['id']}/cancel/")
    cancelled_twice = client.post(f"{URL}{registered.json()['id']}/cancel/")

    assert registered.status_code == 201 and registered.json()["status"] == "confirmed"
    assert registered.json()["event"] == event.slug and registered.json()["attendance"] == "online"
    assert again.status_code == 409 and "already registered" in again.json()["detail"]
    assert [row["id"] for row in listed] == [registered.json()["id"]]
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled_twice.status_code == 409 and cancelled_twice.json()["detail"]
    assert OutboundEmail.objects.filter(recipient=org_admin.email).count() == 2


def test_a_full_event_puts_the_registration_on_the_waiting_list(raw):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    response = _bearer(raw).post(URL, {"event": event.slug, "attendance": "in_person"}, format="json")

    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1


def test_a_closed_registration_is_refused_with_the_reason(raw):
    event = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))

    response = _bearer(raw).post(URL, {"event": event.slug, "attendance": "online"}, format="json")

    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attendance": "online"}, "event"),
        ({"event": "no-such-event", "attendance": "online"}, "event"),
        ({"event": ["x"], "attendance": "online"}, "event"),
        ({"event": "EVENT", "attendance": "by pigeon"}, "attendance"),
        ({"event": "EVENT", "attendance": ["online"]}, "attendance"),
    ],
)
def test_bad_registrations_are_refused_with_the_field(raw, body, field):
    event = EventFactory()
    body = {key: event.slug if value == "EVENT" else value for key, value in body.items()}

    response = _bearer(raw).post(URL, body, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Registration.objects.exists()


def test_a_read_only_token_lists_but_neither_registers_nor_cancels(org_admin, read_raw):
    mine = RegistrationFactory(user=org_admin)
    client = _bearer(read_raw)

    assert [row["id"] for row in client.get(URL).json()["results"]] == [mine.pk]
    assert client.post(URL, {"event": mine.event.slug, "attendance": "online"}, format="json").status_code == 403
    assert client.post(f"{URL}{mine.pk}/cancel/").status_code == 403
    mine.refresh_from_db()
    assert mine.status == "confirmed"


def test_someone_elses_registration_is_not_found(org_admin, raw):
    colleague = RegistrationFactory(organisation=org_admin.organisation, user=UserFactory())

    assert _bearer(raw).get(f"{URL}{colleague.pk}/").status_code == 404
    assert _bearer(raw).post(f"{URL}{colleague.pk}/cancel/").status_code == 404
    assert _bearer(raw).get(URL).json()["results"] == []
    colleague.refresh_from_db()
    assert colleague.status == "confirmed"


def test_the_list_takes_the_same_number_of_queries_for_one_row_and_a_hundred(org_admin, raw):
    client = _bearer(raw)
    RegistrationFactory(user=org_admin)
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for _ in range(99):
        RegistrationFactory(user=org_admin)
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(URL, {"page_size": 100})

    assert len(response.json()["results"]) == 100
    assert len(hundred) == len(one) <= 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["event", "attendance", "status", "user"]), json_values, max_size=4))
def test_random_registrations_never_break_the_api(raw, body):
    with transaction.atomic():
        response = _bearer(raw).post(URL, body, format="json")
        assert response.status_code in (201, 400, 409), response.content
        assert response["Content-Type"] == "application/json"
        transaction.set_rollback(True)
