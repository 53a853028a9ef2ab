"""The 2018 GCTC and WeGO programme from the source documents. Loaded by `manage.py seed`."""

import datetime as dt
import zoneinfo

from .models import Event


def _at(day: dt.date, hour: int, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(tz))


PROGRAMME_2018 = [
    {
        "slug": "gctc-sc3-kickoff-2018",
        "name": "GCTC-SC3 Kickoff Conference",
        "kind": Event.Kind.CONFERENCE,
        "start": dt.date(2018, 2, 6),
        "end": dt.date(2018, 2, 8),
        "time_zone": "America/New_York",
        "city": "Washington, DC",
        "country": "US",
        "host": "NIST and the U.S. Department of Homeland Security Science and Technology Directorate",
        "description": "The opening of the 2018 Global City Teams Challenge round, where cities and companies "
        "form action clusters around shared projects. This round emphasises cybersecurity and privacy.",
    },
    {
        "slug": "gctc-tech-jam-2018",
        "name": "GCTC Tech Jam",
        "kind": Event.Kind.TECH_JAM,
        "start": dt.date(2018, 6, 20),
        "end": dt.date(2018, 6, 22),
        "time_zone": "America/Los_Angeles",
        "city": "Portland, Oregon",
        "country": "US",
        "host": "NIST",
        "description": "Action clusters work side by side on their projects, KPIs and measurable benefits.",
    },
    {
        "slug": "seoul-wego-global-digital-summit-2018",
        "name": "Seoul-WeGO Global Digital Summit",
        "kind": Event.Kind.SUMMIT,
        "start": dt.date(2018, 9, 18),
        "end": dt.date(2018, 9, 19),
        "time_zone": "Asia/Seoul",
        "city": "Seoul",
        "country": "KR",
        "host": "Seoul Metropolitan Government and WeGO",
        "description": "City leaders and experts share digital government practice and the results of the "
        "thematic clusters.",
    },
    {
        "slug": "wego-executive-committee-2018",
        "name": "WeGO Executive Committee Meeting",
        "kind": Event.Kind.MEETING,
        "start": dt.date(2018, 10, 17),
        "end": dt.date(2018, 10, 19),
        "time_zone": "Asia/Manila",
        "city": "Quezon City",
        "country": "PH",
        "host": "Quezon City Government and WeGO",
        "co_located_with": "Philippine Smart City Summit 2018",
        "description": "The WeGO Executive Committee meets to review the year's programme, co-located with the "
        "Philippine Smart City Summit 2018.",
    },
]


def seed_events() -> int:
    """Create the 2018 programme where missing; returns how many were created."""
    created = 0
    for data in PROGRAMME_2018:
        data = dict(data)
        start, end, tz = data.pop("start"), data.pop("end"), data["time_zone"]
        _event, was_created = Event.objects.get_or_create(
            slug=data.pop("slug"), defaults={"starts_at": _at(start, 9, tz), "ends_at": _at(end, 18, tz), **data}
        )
        created += was_created
    return created
