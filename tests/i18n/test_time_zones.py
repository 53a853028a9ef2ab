"""Event times in the venue's time zone, and beside them in the signed-in person's own time zone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul_event():
    return EventFactory(
        time_zone="Asia/Seoul",
        starts_at=dt.datetime(2031, 9, 18, 0, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2031, 9, 19, 9, 0, tzinfo=dt.UTC),
    )


def test_a_person_in_new_york_sees_the_venue_time_and_their_own(client, seoul_event):
    client.force_login(UserFactory(time_zone="America/New_York"))

    page = client.get(reverse("events:detail", args=[seoul_event.slug])).content.decode()

    assert "Sept. 18, 2031, 9 a.m." in page  # at the venue
    assert "Sept. 17, 2031, 8 p.m. to Sept. 19, 2031, 5 a.m. in your time zone (America/New_York)" in page


def test_a_visitor_sees_the_venue_time_only(client, seoul_event):
    page = client.get(reverse("events:detail", args=[seoul_event.slug])).content.decode()

    assert "Sept. 18, 2031, 9 a.m." in page
    assert "in your time zone" not in page


def test_a_person_in_the_venue_time_zone_is_not_told_twice(client, seoul_event):
    client.force_login(UserFactory(time_zone="Asia/Seoul"))

    page = client.get(reverse("events:detail", args=[seoul_event.slug])).content.decode()

    assert "in your time zone" not in page


def test_dates_follow_the_page_language(client, seoul_event):
    client.force_login(UserFactory(time_zone="Europe/Paris"))

    with translation.override("fr"):
        url = reverse("events:detail", args=[seoul_event.slug])
    page = client.get(url).content.decode()

    assert "18 septembre 2031 09:00" in page


def test_an_unknown_time_zone_is_refused_on_the_profile(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ana", "preferred_language": "en", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.content.decode()
    assert User.objects.get(pk=user.pk).time_zone == "UTC"
