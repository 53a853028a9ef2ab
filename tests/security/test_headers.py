"""Headers on real responses: Permissions-Policy, Cross-Origin-Opener-Policy, the language cookie's flags,
and signed-in pages kept by no cache (issue 21, finding 10)."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, ClusterFactory, UserFactory
from wego_portal import settings as production_settings

pytestmark = pytest.mark.django_db

UNUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


@pytest.fixture
def member(client):
    person = UserFactory(full_name="Min-ji Kim")
    client.force_login(person)
    return person


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("path", ["/en/", "/en/clusters/", "/en/accounts/login/", "/en/no-such-page/"])
def test_every_response_denies_unused_browser_features_and_cross_origin_openers(client, path, signed_in):
    if signed_in:
        client.force_login(UserFactory())

    response = client.get(path)

    policy = {entry.strip() for entry in response["Permissions-Policy"].split(",")}
    assert {f"{feature}=()" for feature in UNUSED_FEATURES} <= policy
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_marks_the_language_cookie_like_the_session_cookie():
    assert production_settings.LANGUAGE_COOKIE_SECURE is production_settings.SESSION_COOKIE_SECURE is True


@pytest.mark.parametrize("how", ["switcher", "sign-in", "profile"])
def test_the_language_cookie_is_secure_http_only_and_same_site(client, settings, how):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production (SECURE_COOKIES)
    person = UserFactory(email="min-ji@seoul.example", preferred_language="ko")
    if how == "switcher":
        response = client.post(reverse("set_language"), {"language": "ko", "next": "/en/"})
    elif how == "sign-in":
        response = client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})
    else:
        client.force_login(person)
        response = client.post(
            reverse("accounts:profile"), {"full_name": "Min-ji Kim", "preferred_language": "ko", "time_zone": "UTC"}
        )

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ko"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize("url_name", ["home", "clusters:list", "accounts:profile", "events:mine"])
def test_a_signed_in_page_is_kept_by_no_cache(client, member, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_chooses_its_own_caching_keeps_it(client, member):
    response = client.get(reverse("account_login"))  # allauth's never_cache

    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_a_visitor_still_gets_public_pages_from_the_page_cache_and_never_a_signed_in_one(
    client, django_assert_num_queries
):
    cluster = ClusterFactory()
    signed_in = client.__class__()
    signed_in.force_login(UserFactory(full_name="Min-ji Kim"))
    visitor_first = client.get(cluster.get_absolute_url())
    assert "Min-ji Kim" in signed_in.get(cluster.get_absolute_url()).text

    with django_assert_num_queries(0):
        visitor_again = client.get(cluster.get_absolute_url())

    assert visitor_again.content == visitor_first.content
    assert "Min-ji Kim" not in visitor_again.text
    assert not visitor_again.has_header("Cache-Control")
