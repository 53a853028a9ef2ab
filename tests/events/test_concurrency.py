"""The capacity holds when many people register at the same moment, against the real PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from events import services
from events.models import Registration
from tests.factories import EventFactory, OrganisationMembershipFactory

PARALLEL_REGISTRATIONS = 12
CAPACITY = 5


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_exceed_the_capacity():
    event = EventFactory(capacity=CAPACITY)
    people = [OrganisationMembershipFactory().user for _ in range(PARALLEL_REGISTRATIONS)]
    start = threading.Barrier(PARALLEL_REGISTRATIONS)
    errors = []

    def register(person) -> None:
        try:
            start.wait(timeout=30)  # every thread sends its registration at the same moment
            services.registration_create(event=event, user=person, attendance="in_person")
        except Exception as error:  # reported below: the test must see every failure
            errors.append(error)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITLISTED) == PARALLEL_REGISTRATIONS - CAPACITY
    positions = sorted(event.registrations.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert positions == list(range(1, PARALLEL_REGISTRATIONS - CAPACITY + 1))


@pytest.mark.django_db(transaction=True)
def test_the_same_person_registering_in_parallel_is_registered_once():
    event = EventFactory(capacity=CAPACITY)
    person = OrganisationMembershipFactory().user
    attempts = 6
    start = threading.Barrier(attempts)
    outcomes = []

    def register() -> None:
        try:
            start.wait(timeout=30)
            services.registration_create(event=event, user=person, attendance="online")
            outcomes.append("registered")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == sorted(["registered"] + [f"You are already registered for {event.name}."] * 5)
    assert event.registrations.count() == 1
