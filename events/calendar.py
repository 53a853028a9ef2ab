"""iCalendar (RFC 5545) files for events: one event, or the feed of upcoming events.

Times are written in the venue's time zone (DTSTART;TZID=Asia/Seoul:...) with the matching VTIMEZONE, so
calendar programs show the local time at the venue and convert it correctly for the reader.
"""

import functools
from collections.abc import Iterable
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Event

PRODUCT_ID = "-//WeGO//Cluster Portal Events//EN"


def event_uid(event: Event) -> str:
    """Stable across edits and exports, so calendar programs update the event instead of duplicating it."""
    host = urlparse(settings.SITE_URL).hostname or "wego-net.org"
    return f"event-{event.pk}@{host}"


def _language_neutral(path: str) -> str:
    """/en/events/x/ -> /events/x/: a calendar file is shared, and the unprefixed address sends each reader
    to the event page in their own language."""
    language = translation.get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


def _vevent(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("last-modified", event.updated_at)
    component.add("dtstart", event.local_starts_at)
    component.add("dtend", event.local_ends_at)
    component.add("summary", event.name)
    component.add("location", event.location)
    component.add("categories", [event.get_kind_display()])
    component.add("url", f"{settings.SITE_URL}{_language_neutral(event.get_absolute_url())}")
    description = event.description
    if event.co_located_with:
        co_located = _("Co-located with %(event)s.") % {"event": event.co_located_with}
        description = f"{description}\n\n{co_located}".strip()
    if description:
        component.add("description", description)
    return component


@functools.cache
def _vtimezone(tzid: str) -> icalendar.Timezone | None:
    """The VTIMEZONE of a zone: its offsets and changes, 1970-2038, read off the machine's tz database. Building one
    walks every day of those years (about 20 ms), so each web process builds each zone once, as icalendar's own
    documentation asks ("Please cache the results"); a process-wide constant like accounts.models.time_zone_names,
    never changed once built (a calendar only reads it to write the file)."""
    try:
        return icalendar.Timezone.from_tzid(tzid)
    except ValueError:  # a zone this machine's tz database does not know: the times stay, without the definition
        return None


def _add_time_zones(calendar: icalendar.Calendar) -> None:
    """calendar.add_missing_timezones(), from the built zones: before the events, as calendar programs expect."""
    position = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        vtimezone = _vtimezone(tzid)
        if vtimezone is not None:
            calendar.subcomponents.insert(position, vtimezone)
            position += 1


def calendar_ics(events: Iterable[Event], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event))
    _add_time_zones(calendar)
    return calendar.to_ical()


def event_ics(event: Event) -> bytes:
    return calendar_ics([event], name=event.name)


def event_ics_filename(event: Event) -> str:
    return f"{event.slug}.ics"
