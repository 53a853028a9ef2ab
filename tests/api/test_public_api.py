"""The public read API finds what the public web pages show, in the language asked for, with clear JSON errors."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.staff import EXPORTS
from tests.applications.solution_factories import SolutionFactory
from tests.factories import ClusterFactory, EventFactory, ProjectApplicationFactory, SubmittedApplicationFactory

from .conftest import approved_solution, past_event, published_case

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_root_lists_the_collections(api):
    body = api.get("/api/v1/").json()

    assert set(body) == {
        "clusters",
        "events",
        "cases",
        "solutions",
        "indicators",
        "rounds",
        "teams",
        "calls",
        "organisation/applications",
        "organisation/solutions",
        "organisation/registrations",
        *(f"staff/{name}" for name in EXPORTS),
    }


def test_clusters_are_listed_with_their_leaders_and_filtered_by_kind(api, theme, user):
    theme.leaders.add(user)
    ClusterFactory(kind="super", slug="super-one")

    clusters = _results(api.get("/api/v1/clusters/", {"kind": "thematic"}))

    assert [cluster["slug"] for cluster in clusters] == ["smart-mobility"]
    assert clusters[0]["leaders"] == [{"name": user.full_name, "job_title": user.job_title}]
    assert clusters[0]["url"].endswith("/en/clusters/smart-mobility/")
    assert clusters[0]["events"].endswith("/api/v1/events/?cluster=smart-mobility")


def test_a_filter_value_it_does_not_know_is_a_json_error_naming_the_parameter(api, theme):
    response = api.get("/api/v1/clusters/", {"kind": "galaxy"})

    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "kind"
    assert "galaxy" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/cases/", {"country": "XX"}, "country"),
        ("/api/v1/cases/", {"cluster": "no-such-cluster"}, "cluster"),
        ("/api/v1/cases/", {"q": "x" * 201}, "q"),
        ("/api/v1/cases/", {"q": "nul\x00byte"}, "q"),
        ("/api/v1/solutions/", {"maturity": "ancient"}, "maturity"),
        ("/api/v1/events/", {"when": "tomorrow"}, "when"),
        ("/api/v1/events/", {"page_size": "1000"}, "page_size"),
        ("/api/v1/events/", {"page_size": "-1"}, "page_size"),
        ("/api/v1/events/", {"lang": "de"}, "lang"),
    ],
)
def test_bad_parameters_answer_400_with_the_field_and_the_reason(api, theme, path, query, field):
    response = api.get(path, query)

    assert response.status_code == 400, response.content
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_tampered_cursor_is_a_json_404(api, theme):
    response = api.get("/api/v1/clusters/", {"cursor": "bz1hYmM="})

    assert response.status_code == 404
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/cases/abc/", "/api/v1/cases/99999999999999999999/"])
def test_addresses_that_name_nothing_answer_json_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["message"]


def test_cursor_pages_walk_the_whole_list_once(api):
    slugs = {ClusterFactory().slug for _ in range(5)}
    seen, url = [], "/api/v1/clusters/?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [cluster["slug"] for cluster in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(slugs)


def test_only_published_cases_are_listed_with_their_kpis(api, theme):
    case = published_case(theme, title="Flood early warning")
    ProjectApplicationFactory(cluster=theme, title="A draft")
    SubmittedApplicationFactory(cluster=theme, title="Sent, not decided")
    ProjectApplicationFactory(cluster=theme, status="accepted", title="Accepted, not published")

    cases = _results(api.get("/api/v1/cases/"))

    assert [c["title"] for c in cases] == ["Flood early warning"]
    assert cases[0]["kpis"] == [
        {
            "name": "Electricity used",
            "unit": "MWh per year",
            "baseline": "12000",
            "target": "7000",
            "how_measured": "Meters",
        }
    ]
    assert cases[0]["cluster"] == "smart-mobility" and cases[0]["id"] == case.pk


def test_a_case_shows_only_the_parts_the_city_agreed_to_publish(api, theme):
    case = published_case(theme, cybersecurity="Quokkashield segmentation", publish_budget=True)

    body = api.get(f"/api/v1/cases/{case.pk}/").json()

    assert body["cybersecurity"] == "" and body["privacy"] == ""
    assert body["contact_email"] == "" and body["contact_name"] == ""
    assert body["budget"] == "250000.00"
    assert body["problem"] and body["kpis"]


@pytest.mark.parametrize("status", ["draft", "submitted", "accepted"])
def test_an_unpublished_application_is_no_case(api, theme, status):
    application = ProjectApplicationFactory(cluster=theme, status=status)

    assert api.get(f"/api/v1/cases/{application.pk}/").status_code == 404


def test_cases_are_filtered_as_the_library_filters_them(api, theme):
    other = ClusterFactory()
    published_case(theme, title="Bus priority lanes", stage="completed")
    published_case(other, title="Smart bins", stage="ongoing")

    assert [c["title"] for c in _results(api.get("/api/v1/cases/", {"cluster": theme.slug}))] == ["Bus priority lanes"]
    assert [c["title"] for c in _results(api.get("/api/v1/cases/", {"stage": "ongoing"}))] == ["Smart bins"]
    assert [c["title"] for c in _results(api.get("/api/v1/cases/", {"q": "bins"}))] == ["Smart bins"]
    assert len(_results(api.get("/api/v1/cases/", {"country": "KR"}))) == 2


def test_only_approved_solutions_are_listed_and_shown(api, theme):
    solution = approved_solution(theme, name="Leak finder")
    draft = SolutionFactory(clusters=[theme], name="Draft solution")

    listed = _results(api.get("/api/v1/solutions/", {"country": "FR", "cluster": theme.slug}))

    assert [s["name"] for s in listed] == ["Leak finder"]
    assert api.get(f"/api/v1/solutions/{solution.pk}/").json()["deployments"][0]["country"] == "FR"
    assert api.get(f"/api/v1/solutions/{draft.pk}/").status_code == 404


def test_events_are_upcoming_unless_asked_with_calendar_links(api, theme):
    coming = EventFactory(slug="expo-2026", related_clusters=[theme])
    past_event(slug="kickoff-2018")

    upcoming = _results(api.get("/api/v1/events/"))
    past = _results(api.get("/api/v1/events/", {"when": "past"}))
    of_cluster = _results(api.get("/api/v1/events/", {"cluster": theme.slug, "when": "all"}))

    assert [e["slug"] for e in upcoming] == ["expo-2026"]
    assert upcoming[0]["ical_url"].endswith("/events/expo-2026.ics")
    assert upcoming[0]["clusters"] == ["smart-mobility"] and upcoming[0]["registration"] == "open"
    assert upcoming[0]["places_left"] == coming.capacity
    assert [e["slug"] for e in past] == ["kickoff-2018"]
    assert [e["slug"] for e in of_cluster] == ["expo-2026"]


def test_an_event_whose_date_is_to_be_announced_has_no_calendar_file(api):
    EventFactory(slug="gctc-expo", date_to_be_announced=True, expected_period="Winter 2018", registration_opens_at=None)

    event = api.get("/api/v1/events/gctc-expo/").json()

    assert event["date_to_be_announced"] is True and event["expected_period"] == "Winter 2018"
    assert event["ical_url"] is None


def test_the_language_comes_from_the_parameter_or_accept_language(api, theme):
    korean = api.get(f"/api/v1/clusters/{theme.slug}/", {"lang": "ko"})
    french = api.get(f"/api/v1/clusters/{theme.slug}/", HTTP_ACCEPT_LANGUAGE="fr")
    spanish = api.get(f"/api/v1/clusters/{theme.slug}/", HTTP_ACCEPT_LANGUAGE="es")

    assert korean.json()["name"] == "스마트 모빌리티" and korean["Content-Language"] == "ko"
    assert korean.json()["url"].endswith("/ko/clusters/smart-mobility/")
    assert french.json()["name"] == "Mobilité" and french.json()["status_label"] == "Actif"
    # No Spanish name entered: the English one, with Spanish labels.
    assert spanish.json()["name"] == "Smart Mobility" and spanish["Content-Language"] == "es"
    assert "Accept-Language" in french["Vary"]


def test_errors_are_in_the_language_asked_for(api, theme):
    response = api.get("/api/v1/clusters/", {"kind": "galaxy", "lang": "fr"})

    assert "galaxy" in response.json()["errors"][0]["message"]
    assert "Sélectionnez un choix valide" in response.json()["errors"][0]["message"]


def test_a_cursor_that_is_not_valid_is_refused_in_the_language_asked_for(api, theme):
    response = api.get("/api/v1/clusters/", {"cursor": "not-a-cursor", "lang": "ko"})

    assert response.status_code == 404
    assert "이 커서는 유효하지 않습니다" in str(response.json()), response.json()


def test_an_unchanged_answer_is_not_sent_again(api, theme):
    first = api.get("/api/v1/clusters/")
    again = api.get("/api/v1/clusters/", HTTP_IF_NONE_MATCH=first["ETag"])
    theme.summary = "A new summary."
    theme.save()
    changed = api.get("/api/v1/clusters/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304 and not again.content
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_answers_are_kept_with_the_web_pages_and_a_304_for_one_client_is_never_served_to_another(api, theme):
    """The public answers live in the page cache of the web pages showing the same rows (core/caches.py)."""
    etag = api.get("/api/v1/clusters/")["ETag"]
    not_modified = api.get("/api/v1/clusters/", HTTP_IF_NONE_MATCH=etag)
    with CaptureQueriesContext(connection) as queries:
        another = api.get("/api/v1/clusters/")

    assert not_modified.status_code == 304
    assert another.status_code == 200 and _results(another)[0]["slug"] == "smart-mobility"
    assert len(queries) == 0  # served from the cache


def test_other_sites_may_read_the_api_with_get_only(api, theme):
    read = api.get("/api/v1/clusters/", HTTP_ORIGIN="https://city.example")
    preflight = api.options(
        "/api/v1/clusters/", HTTP_ORIGIN="https://city.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    page = api.get("/en/clusters/", HTTP_ORIGIN="https://city.example")

    assert read["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in read
    assert "Access-Control-Allow-Origin" not in page


def test_writes_are_refused_on_public_collections(api, theme):
    response = api.post("/api/v1/clusters/", {"name": "Mine"}, format="json")

    assert response.status_code == 405 and response.json()["detail"]


def test_a_client_over_its_rate_is_told_when_to_come_back(api, theme, settings):
    settings.API_THROTTLE_RATE = "2/minute"

    statuses = [api.get("/api/v1/clusters/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    third = api.get("/api/v1/clusters/")
    assert int(third["Retry-After"]) > 0 and third.json()["detail"]


@pytest.fixture
def redis_cache(settings):
    """The shared cache as production has it: django-redis on the suite's Redis, under a prefix of this test's."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    yield cache
    cache.delete_pattern("*")


@pytest.mark.parametrize("shared", [False, True], ids=["process cache", "redis"])
def test_a_kept_answer_counts_too_and_a_count_lives_only_as_long_as_its_window(api, theme, settings, request, shared):
    if shared:
        request.getfixturevalue("redis_cache")
    settings.API_THROTTLE_RATE = "2/minute"
    api.get("/api/v1/clusters/")
    with CaptureQueriesContext(connection) as queries:
        kept = api.get("/api/v1/clusters/")
    over = api.get("/api/v1/clusters/")
    theme.summary = "A new summary."
    theme.save()
    settings.API_THROTTLE_RATE = "4/minute"
    changed = api.get("/api/v1/clusters/")

    assert kept.status_code == 200 and len(queries) == 0
    assert over.status_code == 429
    assert changed.status_code == 200 and _results(changed)[0]["summary"] == "A new summary."
    if shared:
        [count] = cache.keys("api-rate:*")
        assert cache.get(count) == 4 and 0 < cache.ttl(count) <= 61


def test_each_client_is_counted_on_its_own_and_an_unreachable_cache_counts_nothing(api, theme, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    first = [api.get("/api/v1/clusters/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(2)]
    other = api.get("/api/v1/clusters/", REMOTE_ADDR="203.0.113.9").status_code
    assert (first, other) == ([200, 429], 200)

    # Redis down (django-redis ignores the error, as in production): nobody is refused for want of a count.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    assert [api.get("/api/v1/clusters/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)] == [200] * 3


def _query_count(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/v1/clusters/", "/api/v1/events/", "/api/v1/cases/", "/api/v1/solutions/"])
def test_lists_take_as_many_queries_for_100_rows_as_for_1(api, theme, user, path):
    def add_rows(count):
        for _ in range(count):
            cluster = ClusterFactory(leaders=[user])
            published_case(cluster)
            approved_solution(cluster)
            EventFactory(related_clusters=[cluster, theme])

    add_rows(1)
    one = _query_count(api, f"{path}?page_size=100")
    add_rows(99)
    hundred = _query_count(api, f"{path}?page_size=100")

    assert one == hundred
    assert len(_results(api.get(f"{path}?page_size=100"))) >= 100
