"""Demo events to try registration with, and the checks the back office's event form makes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.models import Event, Registration, RegistrationState
from tests.factories import EventFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_data_has_open_events_with_capacity_a_registration_and_a_full_one(settings):
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")  # safe to re-run

    workshop = Event.objects.get(slug="demo-smart-governance-workshop")
    assert workshop.registration_state() == RegistrationState.OPEN
    assert workshop.capacity == 40
    assert set(workshop.related_clusters.values_list("slug", flat=True)) == {
        "smart-governance",
        "digital-government-platform",
    }
    [registration] = workshop.registrations.all()
    assert (registration.user.email, registration.organisation.kind) == ("official@demo.wego.example", "city")
    tech_jam = Event.objects.get(slug="demo-smart-mobility-tech-jam")
    assert Registration.objects.filter(event=tech_jam, status="confirmed").count() == tech_jam.capacity
    newcomer = OrganisationMembershipFactory().user
    assert services.registration_create(event=tech_jam, user=newcomer, attendance="online").is_waitlisted


def _event(**fields) -> Event:
    event = EventFactory.build(**fields)
    event.full_clean()
    return event


def test_registration_cannot_close_before_it_opens():
    now = timezone.now()
    with pytest.raises(ValidationError, match="Registration cannot close before it opens"):
        _event(registration_opens_at=now, registration_closes_at=now - dt.timedelta(days=1))


def test_registration_must_open_before_the_event_starts():
    with pytest.raises(ValidationError, match="Registration must open before the event starts"):
        _event(registration_opens_at=timezone.now() + dt.timedelta(days=60))


def test_registration_closing_date_needs_an_opening_date():
    with pytest.raises(ValidationError, match="Say when registration opens"):
        _event(registration_opens_at=None, registration_closes_at=timezone.now())


def test_event_short_name_cannot_take_a_page_address():
    with pytest.raises(ValidationError, match="used by another page"):
        _event(slug="mine")


def test_agenda_must_be_a_document():
    with pytest.raises(ValidationError, match="File extension"):
        _event(agenda=SimpleUploadedFile("agenda.exe", b"MZ"))


def test_time_zone_must_exist():
    with pytest.raises(ValidationError, match="is not a time zone"):
        _event(time_zone="Mars/Olympus")
