"""Which language a person gets: the address prefix, the switcher, the cookie, the browser, the profile."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import TEST_PASSWORD, ClusterFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_a_visitor_on_an_unprefixed_address_is_sent_to_the_browser_language(client):
    response = client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9,en;q=0.5")

    assert response.status_code == 302
    assert response["Location"] == _in("ko", "clusters:list")


def test_a_visitor_with_an_unknown_browser_language_gets_english(client):
    response = client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="de-DE")

    assert response["Location"] == _in("en", "clusters:list")


def test_the_language_cookie_wins_over_the_browser_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get("/events/", HTTP_ACCEPT_LANGUAGE="es")

    assert response["Location"] == _in("fr", "events:upcoming")


def test_a_signed_in_person_without_cookie_gets_their_preferred_language(client):
    client.force_login(UserFactory(preferred_language="es"))

    response = client.get("/clusters/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response["Location"] == _in("es", "clusters:list")


def test_the_prefix_decides_the_page_language(client):
    response = client.get(_in("fr", "clusters:list"), HTTP_ACCEPT_LANGUAGE="ko")

    assert '<html lang="fr">' in response.content.decode()


def test_the_switcher_names_each_language_in_itself(client):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()

    for code, name in (("en", "English"), ("ko", "한국어"), ("es", "Español"), ("fr", "Français")):
        assert f'value="{code}" lang="{code}"' in page
        assert f">{name}</button>" in page
    assert 'aria-current="true">English</button>' in page


def test_a_visitor_switches_with_links_to_the_same_page_in_each_language(client):
    cluster = ClusterFactory()
    page = client.get(_in("en", "clusters:detail", cluster.slug) + "?page=2").content.decode()

    for code, name in (("en", "English"), ("ko", "한국어"), ("es", "Español"), ("fr", "Français")):
        address = _in(code, "clusters:detail", cluster.slug) + "?page=2"
        assert f'<a href="{address}" hreflang="{code}" lang="{code}"' in page
        assert f">{name}</a>" in page
    assert 'aria-current="true">English</a>' in page
    assert "csrfmiddlewaretoken" not in page  # nothing on a public page stops it being cached


def test_switching_keeps_the_page_and_sets_the_cookie(client):
    cluster = ClusterFactory()
    page = _in("en", "clusters:detail", cluster.slug) + "?page=2"

    response = client.post(reverse("set_language"), {"language": "ko", "next": page})

    assert response["Location"] == _in("ko", "clusters:detail", cluster.slug) + "?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"


def test_switching_while_signed_in_saves_the_preferred_language(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "fr", "next": _in("en", "events:mine")})

    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_a_signed_in_korean_speaker_on_an_english_page_lands_on_the_korean_page(client):
    """Issue 27: a shared link or the Back button put them on /en/; the switch is unprefixed, so it runs in their
    own language, in which the English address does not resolve."""
    user = UserFactory(preferred_language="ko")
    client.force_login(user)
    cluster = ClusterFactory()
    english_page = _in("en", "clusters:detail", cluster.slug) + "?page=2"

    response = client.post(reverse("set_language"), {"language": "ko", "next": english_page})

    assert response["Location"] == _in("ko", "clusters:detail", cluster.slug) + "?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"


def test_switching_from_a_page_in_another_language_than_the_cookie_shows_and_saves_the_choice(client):
    user = UserFactory(preferred_language="ko")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = client.post(reverse("set_language"), {"language": "es", "next": _in("en", "clusters:list")})

    assert response["Location"] == _in("es", "clusters:list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_switching_without_next_translates_the_page_it_came_from(client):
    client.force_login(UserFactory(preferred_language="fr"))

    response = client.post(
        reverse("set_language"), {"language": "ko"}, HTTP_REFERER=f"http://testserver{_in('es', 'events:mine')}"
    )

    assert response["Location"] == f"http://testserver{_in('ko', 'events:mine')}"


def test_switching_to_a_language_the_portal_does_not_speak_only_goes_back(client):
    """Django has a German catalogue, so its own view would set the cookie and send the person to /de/..."""
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    page = _in("en", "clusters:list")

    response = client.post(reverse("set_language"), {"language": "de", "next": page})

    assert response["Location"] == page
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_switching_to_an_unknown_language_changes_nothing(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_signing_in_switches_to_the_preferred_language(client):
    UserFactory(email="min-ji@seoul.example", preferred_language="ko")
    cluster = ClusterFactory()

    response = client.post(
        _in("en", "account_login"),
        {
            "login": "min-ji@seoul.example",
            "password": TEST_PASSWORD,
            "next": _in("en", "clusters:detail", cluster.slug),
        },
    )

    assert response["Location"] == _in("ko", "clusters:detail", cluster.slug)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"


def test_changing_the_language_on_the_profile_switches_the_portal(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    response = client.post(
        _in("en", "accounts:profile"),
        {"full_name": user.full_name, "preferred_language": "es", "time_zone": "Europe/Madrid"},
    )

    assert response["Location"] == _in("es", "accounts:profile")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert User.objects.get(pk=user.pk).preferred_language == "es"


def test_sign_up_offers_the_page_language_as_preferred_language(client):
    page = client.get(_in("fr", "account_signup")).content.decode()

    assert '<option value="fr" selected>' in page


def test_calendar_feeds_and_back_office_keep_their_unprefixed_addresses(client):
    event = EventFactory()

    assert reverse("calendar:feed") == "/events/feed.ics"
    assert reverse("calendar:event", args=[event.slug]) == f"/events/{event.slug}.ics"
    assert reverse("admin:index") == "/admin/"
    assert client.get(reverse("calendar:feed"), HTTP_ACCEPT_LANGUAGE="ko").status_code == 200


def test_the_calendar_file_links_to_the_event_without_a_language(client):
    event = EventFactory()

    body = Client().get(reverse("calendar:event", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert f"URL:{settings.SITE_URL}/events/{event.slug}/" in body.replace("\r\n ", "")


def test_the_back_office_speaks_the_staff_member_preferred_language(client, staff_user):
    staff_user.preferred_language = "fr"
    staff_user.save()
    client.force_login(staff_user)

    page = client.get(reverse("admin:index")).content.decode()

    assert '<html lang="fr"' in page
