"""Registration, the waiting list, promotion and cancellation, through events/services.py."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.models import Registration
from tests.factories import EventFactory, OrganisationMembershipFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return OrganisationMembershipFactory(organisation__name="Quezon City Government").user


def _member():
    return OrganisationMembershipFactory().user


def test_registration_is_confirmed_and_emailed_with_a_calendar_file(member, django_capture_on_commit_callbacks):
    event = EventFactory(name="Seoul-WeGO Global Digital Summit", capacity=2)

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=member, attendance="online")

    registration.refresh_from_db()
    assert (registration.status, registration.attendance, registration.organisation.name) == (
        "confirmed",
        "online",
        "Quezon City Government",
    )
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "You are registered for Seoul-WeGO Global Digital Summit"
    assert event.get_absolute_url() in message.body
    [(html, _mimetype)] = message.alternatives
    assert "<strong>Seoul-WeGO Global Digital Summit</strong> is confirmed (online)" in html
    [attachment] = message.attachments
    assert (attachment.get_filename(), attachment.get_content_type(), attachment.get_param("method")) == (
        f"{event.slug}.ics",
        "text/calendar",
        "PUBLISH",
    )
    content = attachment.get_payload(decode=True)
    assert str(icalendar.Calendar.from_ical(content).events[0]["SUMMARY"]) == "Seoul-WeGO Global Digital Summit"


def test_registration_without_a_limit_is_always_confirmed(member):
    event = EventFactory(capacity=None)
    RegistrationFactory.create_batch(3, event=event)

    assert services.registration_create(event=event, user=member, attendance="in_person").is_confirmed


def test_full_event_puts_people_on_the_waiting_list_in_order(django_capture_on_commit_callbacks):
    event = EventFactory(name="GCTC Tech Jam", capacity=1)
    RegistrationFactory(event=event)
    first, second = _member(), _member()

    with django_capture_on_commit_callbacks(execute=True):
        waiting_first = services.registration_create(event=event, user=first, attendance="in_person")
        waiting_second = services.registration_create(event=event, user=second, attendance="online")

    assert (waiting_first.status, waiting_first.waitlist_position) == ("waitlisted", 1)
    assert (waiting_second.status, waiting_second.waitlist_position) == ("waitlisted", 2)
    assert [message.subject for message in mail.outbox] == ["You are on the waiting list for GCTC Tech Jam"] * 2
    assert "You are number 1." in mail.outbox[0].body
    assert "You are number 2." in mail.outbox[1].body
    assert all(not message.attachments for message in mail.outbox)


def test_nobody_registers_twice_for_the_same_event(member):
    event = EventFactory()
    services.registration_create(event=event, user=member, attendance="in_person")

    with pytest.raises(ValidationError, match="You are already registered for"):
        services.registration_create(event=event, user=member, attendance="online")

    assert event.registrations.count() == 1


@pytest.mark.parametrize(
    ("event_fields", "message"),
    [
        (
            {"starts_at": timezone.now() - dt.timedelta(days=3), "registration_opens_at": None},
            "has already taken place, so registration is closed",
        ),
        ({"registration_closes_at": timezone.now() - dt.timedelta(minutes=1)}, "closed on"),
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=2)}, "opens on"),
        (
            {"registration_opens_at": None, "external_url": "https://www.nist.gov/gctc"},
            "does not take registrations for .*See the event's own website",
        ),
        ({"registration_opens_at": None}, "has not been announced yet"),
    ],
    ids=["past", "closed", "not-yet-open", "registration-elsewhere", "not-announced"],
)
def test_registration_is_refused_with_a_clear_reason(member, event_fields, message):
    event = EventFactory(**event_fields)

    with pytest.raises(ValidationError, match=message):
        services.registration_create(event=event, user=member, attendance="in_person")

    assert not event.registrations.exists()


def test_registration_is_refused_once_the_event_has_started(member):
    event = EventFactory(starts_at=timezone.now() - dt.timedelta(hours=1))

    with pytest.raises(ValidationError, match="closed on"):
        services.registration_create(event=event, user=member, attendance="in_person")


def test_people_without_an_organisation_cannot_register():
    with pytest.raises(PermissionDenied):
        services.registration_create(event=EventFactory(), user=UserFactory(), attendance="in_person")


def test_cancelling_gives_the_place_to_the_first_on_the_waiting_list(django_capture_on_commit_callbacks):
    event = EventFactory(name="GCTC Expo", capacity=1)
    leaving = RegistrationFactory(event=event)
    first = services.registration_create(event=event, user=_member(), attendance="online")
    second = services.registration_create(event=event, user=_member(), attendance="in_person")

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=leaving, by=leaving.user)

    assert promoted == [first]
    leaving.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert (leaving.status, leaving.cancelled_at is not None) == ("cancelled", True)
    assert (first.status, first.waitlist_position, first.promoted_at is not None) == ("confirmed", None, True)
    assert (second.status, second.waitlist_position) == ("waitlisted", 2)
    assert event.registrations.filter(status="confirmed").count() == 1
    assert {(message.to[0], message.subject) for message in mail.outbox} == {
        (leaving.user.email, "Your registration for GCTC Expo is cancelled"),
        (first.user.email, "A place became free: you are registered for GCTC Expo"),
    }
    promotion = next(message for message in mail.outbox if message.to == [first.user.email])
    assert promotion.attachments[0].get_filename() == f"{event.slug}.ics"


def test_cancelling_a_place_on_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = services.registration_create(event=event, user=_member(), attendance="online")
    behind = services.registration_create(event=event, user=_member(), attendance="online")

    assert services.registration_cancel(registration=waiting, by=waiting.user) == []

    behind.refresh_from_db()
    assert behind.status == "waitlisted"


def test_nobody_can_cancel_someone_elses_registration():
    registration = RegistrationFactory()

    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, by=_member())

    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_registration_is_cancelled_only_once():
    registration = RegistrationFactory()
    services.registration_cancel(registration=registration, by=registration.user)

    with pytest.raises(ValidationError, match="already cancelled"):
        services.registration_cancel(registration=registration, by=registration.user)


def test_a_registration_for_a_past_event_cannot_be_cancelled():
    registration = RegistrationFactory(
        event__starts_at=timezone.now() - dt.timedelta(days=5), event__registration_opens_at=None
    )

    with pytest.raises(ValidationError, match="already taken place"):
        services.registration_cancel(registration=registration, by=registration.user)


def test_a_person_who_cancelled_may_register_again(member):
    event = EventFactory()
    registration = services.registration_create(event=event, user=member, attendance="in_person")
    services.registration_cancel(registration=registration, by=member)

    again = services.registration_create(event=event, user=member, attendance="online")

    assert again.is_confirmed
    assert list(event.registrations.values_list("status", flat=True).order_by("pk")) == ["cancelled", "confirmed"]


def test_staff_raising_the_capacity_fills_places_from_the_waiting_list(staff_user):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = [services.registration_create(event=event, user=_member(), attendance="online") for _ in range(3)]
    event.capacity = 3
    event.save()

    promoted = services.event_fill_from_waiting_list(event=event)

    assert promoted == waiting[:2]
    assert Registration.objects.get(pk=waiting[2].pk).status == "waitlisted"
