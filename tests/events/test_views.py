"""The event pages: lists, the event page, registering and cancelling, my events, agendas, cluster pages."""

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationMembershipFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _past(**fields):
    starts = timezone.now() - dt.timedelta(days=fields.pop("days_ago", 30))
    return EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8), registration_opens_at=None, **fields)


@pytest.fixture
def member(client):
    user = OrganisationMembershipFactory(organisation__name="Quezon City Government").user
    client.force_login(user)
    return user


# --- Lists ---------------------------------------------------------------------------------------------


def test_upcoming_and_past_lists_split_the_calendar(client):
    EventFactory(name="Smart Governance Workshop")
    _past(name="GCTC-SC3 Kickoff Conference")

    upcoming = _page(client, reverse("events:upcoming"))
    past = _page(client, reverse("events:past"))

    assert "Smart Governance Workshop" in upcoming
    assert "GCTC-SC3 Kickoff Conference" not in upcoming
    assert "GCTC-SC3 Kickoff Conference" in past
    assert "Smart Governance Workshop" not in past


def test_seeded_2018_programme_is_listed_under_past_events(client):
    from events.seed import seed_events

    seed_events()

    html = _page(client, reverse("events:past"))

    assert "WeGO Executive Committee Meeting" in html
    assert "Co-located with Philippine Smart City Summit 2018" in html


def test_list_shows_places_left_and_related_clusters(client):
    cluster = ClusterFactory(name="Smart Mobility")
    event = EventFactory(capacity=3, related_clusters=[cluster])
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="cancelled")

    html = _page(client, reverse("events:upcoming"))

    assert "2 places left" in html
    assert "Smart Mobility" in html


@pytest.mark.parametrize("url_name", ["events:upcoming", "events:past"])
def test_event_lists_take_the_same_number_of_queries_for_1_or_50_events(client, url_name):
    def make(count):
        for _ in range(count):
            event = EventFactory(related_clusters=[ClusterFactory()]) if url_name == "events:upcoming" else _past()
            RegistrationFactory(event=event)

    make(1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name))
    make(49)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url_name))

    assert len(response.context["page_obj"]) == 20  # paginated
    assert len(many) == len(one)


def test_lists_are_paginated(client):
    for days in range(25):
        _past(days_ago=days + 1)

    assert len(client.get(reverse("events:past") + "?page=2").context["page_obj"]) == 5


def test_per_cluster_list_and_cluster_page_show_the_clusters_events(client):
    cluster = ClusterFactory(name="Smart Governance", slug="smart-governance")
    EventFactory(name="Smart Governance Workshop", related_clusters=[cluster])
    _past(name="Old Governance Meeting", related_clusters=[cluster])
    EventFactory(name="Unrelated Expo")

    listing = _page(client, reverse("events:cluster", args=["smart-governance"]))
    cluster_page = _page(client, reverse("clusters:detail", args=["smart-governance"]))

    assert "Smart Governance Workshop" in listing and "Old Governance Meeting" in listing
    assert "Unrelated Expo" not in listing
    assert "Smart Governance Workshop" in cluster_page
    assert "Old Governance Meeting" not in cluster_page  # the cluster page shows upcoming events only
    assert "· Seoul" in cluster_page and "No upcoming event is linked to this cluster." not in cluster_page
    quiet = ClusterFactory(name="Smart Water", slug="smart-water")
    assert "No upcoming event is linked to this cluster." in _page(client, quiet.get_absolute_url())


def test_per_cluster_list_keeps_constant_queries(client):
    cluster = ClusterFactory()
    EventFactory(related_clusters=[cluster])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("events:cluster", args=[cluster.slug]))
    for _ in range(30):
        EventFactory(related_clusters=[cluster, ClusterFactory()])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("events:cluster", args=[cluster.slug]))

    assert len(many) == len(one)


# --- The event page ------------------------------------------------------------------------------------


def test_event_page_shows_times_in_the_venue_time_zone(client):
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    event = EventFactory(
        starts_at=dt.datetime(2031, 9, 18, 9, 30, tzinfo=seoul), ends_at=dt.datetime(2031, 9, 19, 18, tzinfo=seoul)
    )

    html = _page(client, event.get_absolute_url())

    assert "Sept. 18, 2031, 9:30 a.m." in html
    assert "Times are local to the venue (Asia/Seoul)" in html
    assert reverse("calendar:event", args=[event.slug]) in html


def test_anonymous_visitor_is_asked_to_sign_in_to_register(client):
    event = EventFactory()

    html = _page(client, event.get_absolute_url())

    assert "Sign in to register" in html
    response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "online"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Registration.objects.exists()


def test_person_without_organisation_is_told_to_set_one_up(client):
    client.force_login(UserFactory())
    event = EventFactory()

    html = _page(client, event.get_absolute_url())
    response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "online"})

    assert "Set up your organisation" in html
    assert response.status_code == 403
    assert reverse("accounts:organisation_start") in response.content.decode()
    assert not Registration.objects.exists()


def test_member_registers_and_sees_the_confirmation(client, member, django_capture_on_commit_callbacks):
    event = EventFactory(name="Smart Governance Workshop", capacity=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "in_person"}, follow=True)

    html = response.content.decode()
    assert "You are registered for Smart Governance Workshop." in html
    assert "You are registered (in person)." in html
    assert "9 places left" in html
    assert "Cancel my registration" in html
    registration = Registration.objects.get()
    assert (registration.user, registration.organisation.name, registration.status) == (
        member,
        "Quezon City Government",
        "confirmed",
    )


def test_registering_without_choosing_attendance_says_what_is_missing(client, member):
    event = EventFactory()

    response = client.post(reverse("events:register", args=[event.slug]), {})

    assert response.status_code == 200
    assert "Please choose whether you will attend in person or online." in response.content.decode()
    assert not Registration.objects.exists()


def test_full_event_offers_the_waiting_list_and_shows_the_rank(client, member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)

    assert "Join the waiting list" in _page(client, event.get_absolute_url())
    response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "online"}, follow=True)

    html = response.content.decode()
    assert "is full, so you are on the waiting list" in html
    assert "You are on the waiting list, number 1." in html


def test_registering_twice_is_refused_with_a_message(client, member):
    event = EventFactory(name="GCTC Expo")
    RegistrationFactory(event=event, user=member)

    response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "online"}, follow=True)

    assert "You are already registered for GCTC Expo." in response.content.decode()
    assert event.registrations.count() == 1


def test_registering_for_a_past_event_is_refused_with_a_message(client, member):
    event = _past(name="GCTC Tech Jam")

    page = _page(client, event.get_absolute_url())
    response = client.post(reverse("events:register", args=[event.slug]), {"attendance": "online"}, follow=True)

    assert "GCTC Tech Jam has already taken place, so registration is closed." in page
    assert response.status_code == 200
    assert "GCTC Tech Jam has already taken place, so registration is closed." in response.content.decode()
    assert not event.registrations.exists()


def test_registrant_cancels_and_the_next_person_gets_the_place(client, member, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    registration = RegistrationFactory(event=event, user=member)
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:cancel", args=[registration.pk]), follow=True)

    html = response.content.decode()
    assert "Your registration for" in html and "is cancelled." in html
    assert "You cancelled your registration on" in html
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_nobody_can_cancel_someone_elses_registration(client, member):
    registration = RegistrationFactory()

    response = client.post(reverse("events:cancel", args=[registration.pk]))

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancel_needs_a_signed_in_user(client):
    registration = RegistrationFactory()

    for method in (client.get, client.post):
        response = method(reverse("events:cancel", args=[registration.pk]))
        assert response.status_code == 302 and reverse("account_login") in response.url
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_event_page_asks_before_cancelling(client, member):
    """Issue 27: one click cancelled at once; the button now leads to a question, answered with a form."""
    event = EventFactory(name="GCTC Tech Jam", capacity=10)
    registration = RegistrationFactory(event=event, user=member, attendance="in_person")
    cancel = reverse("events:cancel", args=[registration.pk])

    assert f'<a class="btn btn-outline-danger" href="{cancel}">Cancel my registration</a>' in _page(
        client, event.get_absolute_url()
    )
    page = _page(client, cancel)

    assert '<h1 class="h2">Cancel your registration for GCTC Tech Jam?</h1>' in page
    assert "You are registered (in person)." in page
    assert f'<form method="post" action="{cancel}"' in page
    assert ">Yes, cancel my registration</button>" in page
    assert f'<a class="btn btn-outline-secondary" href="{event.get_absolute_url()}">Keep my registration</a>' in page
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_question_gives_a_waiting_person_their_rank(client, member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    mine = RegistrationFactory(event=event, user=member, status="waitlisted", waitlist_position=2)

    page = _page(client, reverse("events:cancel", args=[mine.pk]))

    assert "You are on the waiting list, number 2." in page
    assert "If you cancel, you leave the waiting list." in page


@pytest.mark.parametrize(
    ("status", "past", "says"),
    [
        ("cancelled", False, "This registration was already cancelled."),
        ("confirmed", True, "GCTC Tech Jam has already taken place."),
    ],
)
def test_nothing_to_ask_about_a_cancelled_registration_or_a_past_event(client, member, status, past, says):
    event = _past(name="GCTC Tech Jam") if past else EventFactory(name="GCTC Tech Jam")
    registration = RegistrationFactory(event=event, user=member, status=status)

    response = client.get(reverse("events:cancel", args=[registration.pk]), follow=True)

    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    assert says in response.content.decode()


def test_staff_are_asked_about_the_person_s_registration_in_the_third_person(client, staff_user):
    registration = RegistrationFactory(user__full_name="Ana Reyes", event__name="GCTC Tech Jam")
    client.force_login(staff_user)

    page = _page(client, reverse("events:cancel", args=[registration.pk]))

    assert "Cancel the registration of Ana Reyes for GCTC Tech Jam?</h1>" in page
    assert "Ana Reyes will get an e-mail saying it is cancelled." in page
    assert "Yes, cancel the registration</button>" in page and "my registration" not in page


def test_nobody_is_asked_about_someone_elses_registration(client, member):
    registration = RegistrationFactory()

    assert client.get(reverse("events:cancel", args=[registration.pk])).status_code == 404


@pytest.mark.parametrize("size", [1, 20])
def test_the_question_costs_the_same_queries_however_full_the_event(client, member, django_assert_num_queries, size):
    event = EventFactory(capacity=size)
    RegistrationFactory.create_batch(size, event=event)
    mine = RegistrationFactory(event=event, user=member, status="waitlisted", waitlist_position=size)

    # the person (with their organisation and the clusters they lead), the registration with its event, its
    # rank on the waiting list
    with django_assert_num_queries(3):
        client.get(reverse("events:cancel", args=[mine.pk]))


# --- My events, agendas --------------------------------------------------------------------------------


def test_my_events_lists_only_my_registrations(client, member):
    RegistrationFactory(user=member, event__name="Smart Governance Workshop")
    RegistrationFactory(user=member, event__name="GCTC Expo", status="waitlisted", waitlist_position=1)
    RegistrationFactory(event__name="Someone else's summit")

    html = _page(client, reverse("events:mine"))

    assert "Smart Governance Workshop" in html
    assert "GCTC Expo" in html and "On the waiting list" in html
    assert "Someone else&#x27;s summit" not in html


def test_my_events_needs_sign_in(client):
    assert client.get(reverse("events:mine")).status_code == 302


def test_my_events_keeps_constant_queries(client, member):
    RegistrationFactory(user=member)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("events:mine"))
    for _ in range(30):
        RegistrationFactory(user=member)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("events:mine"))

    assert len(many) == len(one)


def test_agenda_is_downloadable_by_anyone(client):
    event = EventFactory(slug="gctc-expo", agenda=SimpleUploadedFile("programme.pdf", b"%PDF-1.4 agenda"))

    assert "Download the agenda" in _page(client, event.get_absolute_url())
    response = client.get(reverse("events:agenda", args=[event.slug]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 agenda"
    assert 'filename="gctc-expo-agenda.pdf"' in response["Content-Disposition"]


def test_event_without_agenda_has_no_download(client):
    event = EventFactory()

    assert client.get(reverse("events:agenda", args=[event.slug])).status_code == 404


def test_navbar_links_to_events(client):
    assert reverse("events:upcoming") in _page(client, reverse("home"))
