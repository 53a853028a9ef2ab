"""The 2018 programme as the documents give it: who hosted the Tech Jam, the Expo's date still to be announced,
the events every thematic cluster may meet at, and every text in Korean, Spanish and French."""

import datetime as dt
from io import StringIO

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from clusters.seed import THEMATIC_CLUSTERS
from events import services
from events.models import Event, RegistrationState
from events.seed import PROGRAMME_2018
from tests.factories import EventFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed", stdout=StringIO())


def _page(client, language: str, name: str, *args) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_tech_jam_was_hosted_by_the_city_of_portland(seeded, client):
    tech_jam = Event.objects.get(slug="gctc-tech-jam-2018")

    assert (tech_jam.host, tech_jam.city) == ("City of Portland", "Portland, Oregon")
    assert tech_jam.local_starts_at.date() == dt.date(2018, 6, 20)
    assert tech_jam.local_ends_at.date() == dt.date(2018, 6, 22)
    assert "City of Portland" in _page(client, "en", "events:detail", tech_jam.slug)


def test_seeding_again_corrects_the_host_an_earlier_release_seeded_but_keeps_what_staff_wrote(seeded):
    Event.objects.filter(slug="gctc-tech-jam-2018").update(host="NIST", host_en="NIST")
    Event.objects.filter(slug="gctc-sc3-kickoff-2018").update(host="NIST", host_en="NIST")

    call_command("seed", stdout=StringIO())

    assert Event.objects.get(slug="gctc-tech-jam-2018").host == "City of Portland"
    assert Event.objects.values_list("host", flat=True).get(slug="gctc-tech-jam-2018") == "City of Portland"
    # Only the value an earlier release seeded wrongly is replaced; this one staff chose.
    assert Event.objects.get(slug="gctc-sc3-kickoff-2018").host == "NIST"


def test_the_expo_closes_the_round_in_winter_2018_with_its_date_to_be_announced(seeded, client):
    expo = Event.objects.get(slug="gctc-expo-2018")

    assert expo.date_to_be_announced
    assert expo.expected_period == "Winter 2018"
    assert expo.registration_state() == RegistrationState.NOT_OFFERED
    page = _page(client, "en", "events:detail", expo.slug)
    assert "The date is to be announced. Expected: Winter 2018." in page
    assert "Date to be announced (Winter 2018)" in page
    assert "place to be announced" in page
    assert reverse("calendar:event", args=[expo.slug]) not in page
    assert "2018-12-01" not in page  # the placeholder period is never shown as a date
    assert "hiver 2018" in _page(client, "fr", "events:detail", expo.slug).lower()


def test_an_event_whose_date_is_to_be_announced_has_no_calendar_file_and_is_left_out_of_the_feed(client):
    soon = EventFactory(name="Dated summit")
    EventFactory(
        name="Summit to be announced",
        date_to_be_announced=True,
        expected_period="Spring 2027",
        registration_opens_at=None,
    )
    tba = Event.objects.get(name="Summit to be announced")

    assert client.get(reverse("calendar:event", args=[tba.slug])).status_code == 404
    feed = icalendar.Calendar.from_ical(client.get(reverse("calendar:feed")).content)
    assert [str(vevent["SUMMARY"]) for vevent in feed.walk("VEVENT")] == [soon.name]
    assert "Date to be announced (Spring 2027)" in _page(client, "en", "events:upcoming")


def test_nobody_registers_for_an_event_whose_date_is_to_be_announced():
    event = EventFactory(date_to_be_announced=True, expected_period="Spring 2027", registration_opens_at=None)
    person = OrganisationMembershipFactory().user

    assert "is to be announced" in services.registration_refusal(event)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=person, attendance="online")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expected_period": ""}, "Say when the event is expected"),
        ({"expected_period": "Spring 2027", "registration_opens_at": timezone.now()}, "cannot register"),
    ],
)
def test_the_back_office_form_needs_the_expected_period_and_no_registration_dates(fields, message):
    event = EventFactory.build(date_to_be_announced=True, **{"registration_opens_at": None, **fields})

    with pytest.raises(ValidationError, match=message):
        event.full_clean()


def test_every_thematic_cluster_meets_at_the_seoul_summit_and_the_quezon_city_meeting(seeded, client):
    five = {data["slug"] for data in THEMATIC_CLUSTERS}

    for slug in ("seoul-wego-global-digital-summit-2018", "wego-executive-committee-2018"):
        event = Event.objects.get(slug=slug)
        assert set(event.related_clusters.values_list("slug", flat=True)) == five
    assert "WeGO Executive Committee Meeting" in _page(client, "en", "events:cluster", "smart-mobility")


def test_seeding_keeps_a_cluster_link_staff_added_and_adds_none_twice(seeded):
    summit = Event.objects.get(slug="seoul-wego-global-digital-summit-2018")
    summit.related_clusters.remove(summit.related_clusters.get(slug="smart-mobility"))

    call_command("seed", stdout=StringIO())

    assert summit.related_clusters.count() == 5


@pytest.mark.parametrize("language", ["ko", "es", "fr"])
def test_the_2018_events_have_every_text_in_the_language(seeded, client, language):
    for data in PROGRAMME_2018:
        event = Event.objects.get(slug=data["slug"])
        for field, english in data["texts"]["en"].items():
            translated = getattr(event, f"{field}_{language}")
            assert translated, (event.slug, field, language)
            if field != "name":  # "GCTC Tech Jam" is its own name in Spanish and French
                assert translated != english, (event.slug, field, language)

    page = _page(client, language, "events:past")
    for data in PROGRAMME_2018:
        assert data["texts"][language]["name"] in page


def test_the_seoul_summit_reads_in_korean_on_korean_pages(seeded, client):
    page = _page(client, "ko", "events:detail", "seoul-wego-global-digital-summit-2018")

    assert "서울-WeGO 글로벌 디지털 서밋" in page
    assert "서울특별시와 WeGO" in page
    assert "Seoul Metropolitan Government" not in page
