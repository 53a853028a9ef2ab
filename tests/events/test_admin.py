"""The secretariat's back office for events and registrations, with the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, OrganisationMembershipFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("url_name", ["admin:events_event_changelist", "admin:events_registration_changelist"])
def test_changelists_load_with_search_and_filters(admin_client, url_name):
    RegistrationFactory(event__name="GCTC Expo", user__full_name="Ana Reyes")

    assert admin_client.get(reverse(url_name)).status_code == 200
    assert admin_client.get(reverse(url_name) + "?q=gctc").status_code == 200
    assert admin_client.get(reverse(url_name) + "?q=reyes").status_code == 200


def test_event_changelist_counts_registrations(admin_client):
    event = EventFactory(name="GCTC Expo")
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    response = admin_client.get(reverse("admin:events_event_changelist"))

    [row] = response.context["cl"].result_list
    assert (row.confirmed_count, row.waitlisted_count) == (2, 1)


def test_registration_changelist_keeps_constant_queries(admin_client):
    RegistrationFactory()
    admin_client.get(reverse("admin:events_registration_changelist"))  # the first view caches the event filter
    with CaptureQueriesContext(connection) as one:
        admin_client.get(reverse("admin:events_registration_changelist"))
    RegistrationFactory.create_batch(20)
    admin_client.get(reverse("admin:events_registration_changelist"))  # the new rows renewed the cached filters
    with CaptureQueriesContext(connection) as many:
        admin_client.get(reverse("admin:events_registration_changelist"))

    assert len(many) == len(one)


def test_event_filter_offers_the_events_with_registrations_from_the_cache(admin_client):
    RegistrationFactory(event__name="GCTC Expo", event__starts_at=timezone.now() + timedelta(days=30))
    RegistrationFactory(event__name="Smart City Summit", event__starts_at=timezone.now() + timedelta(days=60))
    EventFactory(name="Nobody registered yet")
    url = reverse("admin:events_registration_changelist")
    admin_client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)

    [events] = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "event"]
    assert [title for _pk, title in events.lookup_choices] == ["GCTC Expo", "Smart City Summit"]
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "events_event"')]


def test_event_change_page_shows_its_registrations(admin_client):
    registration = RegistrationFactory(user__full_name="Ana Reyes")

    response = admin_client.get(reverse("admin:events_event_change", args=[registration.event.pk]))

    assert "Ana Reyes" in response.content.decode()


def test_csv_export_streams_the_selected_registrations(admin_client):
    member = OrganisationMembershipFactory(
        user__full_name="Ana Reyes", user__email="ana@quezoncity.example", organisation__name="Quezon City"
    ).user
    chosen = RegistrationFactory(user=member, event__name="GCTC Expo", attendance="online")
    RegistrationFactory(event__name="Another event")

    response = admin_client.post(
        reverse("admin:events_registration_changelist"), {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    header, *rows = _csv_rows(response)
    assert header[:4] == ["event", "event starts (UTC)", "full name", "e-mail address"]
    assert [row[0] for row in rows] == ["GCTC Expo"]
    assert rows[0][2:8] == [
        "Ana Reyes",
        "ana@quezoncity.example",
        member.job_title,
        "Quezon City",
        "Online",
        "Confirmed",
    ]
    assert "attachment" in response["Content-Disposition"]


def test_event_action_exports_every_registration_of_the_event(admin_client):
    event = EventFactory(name="GCTC Expo")
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory(event=event, status="cancelled")
    RegistrationFactory()

    response = admin_client.post(
        reverse("admin:events_event_changelist"), {"action": "export_registrations", "_selected_action": [event.pk]}
    )

    _header, *rows = _csv_rows(response)
    assert len(rows) == 4
    assert {row[0] for row in rows} == {"GCTC Expo"}


def test_cancel_action_goes_through_the_service_and_promotes_the_waiting_list(
    admin_client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:events_registration_changelist"),
            {"action": "cancel_registrations", "_selected_action": [leaving.pk]},
        )

    leaving.refresh_from_db(), waiting.refresh_from_db()
    assert (leaving.status, waiting.status) == ("cancelled", "confirmed")
    assert {message.to[0] for message in mail.outbox} == {leaving.user.email, waiting.user.email}


def test_raising_the_capacity_in_the_event_form_promotes_the_waiting_list(
    admin_client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    url = reverse("admin:events_event_change", args=[event.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"related_clusters", "agenda", "starts_at", "ends_at"}
    }
    data.update(
        {
            "capacity": 2,
            "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": event.starts_at.strftime("%H:%M:%S"),
            "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
            "ends_at_1": event.ends_at.strftime("%H:%M:%S"),
            "registration_opens_at_0": event.registration_opens_at.strftime("%Y-%m-%d"),
            "registration_opens_at_1": event.registration_opens_at.strftime("%H:%M:%S"),
            "registrations-TOTAL_FORMS": 2,
            "registrations-INITIAL_FORMS": 2,
            "registrations-0-id": event.registrations.order_by("pk")[0].pk,
            "registrations-0-event": event.pk,
            "registrations-1-id": waiting.pk,
            "registrations-1-event": event.pk,
        }
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data, follow=True)

    assert "1 registration(s) promoted from the waiting list." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [message.to for message in mail.outbox] == [[waiting.user.email]]


def test_csv_export_keeps_formula_like_names_as_text(admin_client):
    registration = RegistrationFactory(user__full_name='=HYPERLINK("http://evil.example")')

    response = admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "export_csv", "_selected_action": [registration.pk]},
    )

    _header, row = _csv_rows(response)
    assert row[2] == '\'=HYPERLINK("http://evil.example")'
