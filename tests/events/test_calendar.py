"""The .ics files, parsed back with icalendar: one per event and the feed of upcoming events."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def _calendar(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_event_file_has_the_venue_time_zone_and_the_event_details(client, settings):
    settings.SITE_URL = "https://clusters.wego-net.org"
    event = EventFactory(
        name="Seoul-WeGO Global Digital Summit",
        starts_at=dt.datetime(2031, 9, 18, 9, tzinfo=SEOUL),
        ends_at=dt.datetime(2031, 9, 19, 18, tzinfo=SEOUL),
        venue="Seoul City Hall",
        city="Seoul",
        country="KR",
    )

    calendar = _calendar(client, reverse("calendar:event", args=[event.slug]))

    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    [vevent] = calendar.events
    assert str(vevent["UID"]) == f"event-{event.pk}@clusters.wego-net.org"
    assert str(vevent["SUMMARY"]) == "Seoul-WeGO Global Digital Summit"
    assert str(vevent["LOCATION"]) == "Seoul City Hall, Seoul, South Korea"
    assert vevent["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert vevent.DTSTART.isoformat() == "2031-09-18T09:00:00+09:00"
    assert vevent.DTEND.isoformat() == "2031-09-19T18:00:00+09:00"
    assert vevent.DTSTART.astimezone(dt.UTC) == dt.datetime(2031, 9, 18, 0, tzinfo=dt.UTC)
    assert str(vevent["URL"]) == f"https://clusters.wego-net.org/events/{event.slug}/"
    assert "DTSTAMP" in vevent
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]


def test_uid_is_stable_so_calendars_update_the_event(client):
    event = EventFactory()
    first = _calendar(client, reverse("calendar:event", args=[event.slug])).events[0]["UID"]
    event.name = "Renamed"
    event.save()

    assert _calendar(client, reverse("calendar:event", args=[event.slug])).events[0]["UID"] == first


def test_feed_lists_upcoming_events_with_each_time_zone(client):
    EventFactory(name="Workshop in Seoul", time_zone="Asia/Seoul")
    EventFactory(
        name="Expo in Washington",
        time_zone="America/New_York",
        starts_at=dt.datetime(2031, 11, 3, 9, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        ends_at=dt.datetime(2031, 11, 4, 17, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    )
    EventFactory(
        name="Past meeting",
        starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=399),
    )

    calendar = _calendar(client, reverse("calendar:feed"))

    summaries = {str(vevent["SUMMARY"]): vevent for vevent in calendar.events}
    assert set(summaries) == {"Workshop in Seoul", "Expo in Washington"}
    washington = summaries["Expo in Washington"]
    assert washington["DTSTART"].params["TZID"] == "America/New_York"
    # 3 November 2031 is after the end of daylight saving time in New York: UTC-5.
    assert washington.DTSTART.astimezone(dt.UTC) == dt.datetime(2031, 11, 3, 14, tzinfo=dt.UTC)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Asia/Seoul", "America/New_York"}


def test_unknown_event_file_is_404(client):
    assert client.get(reverse("calendar:event", args=["no-such-event"])).status_code == 404
