"""The Atom feeds, sitemap.xml and robots.txt parse, and hold what the public pages show: nothing private."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from tests.applications.solution_factories import SolutionFactory
from tests.factories import ClusterFactory, EventFactory, OrganisationFactory, ProjectApplicationFactory

from .conftest import approved_solution, past_event, published_case

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _atom(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed


def _titles(feed) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]


def test_the_cases_feed_lists_published_cases_only(client, theme):
    published_case(theme, title="Flood early warning")
    ProjectApplicationFactory(cluster=theme, status="accepted", title="Accepted, not published")

    feed = _atom(client, "/en/feeds/cases/")

    assert _titles(feed) == ["Flood early warning"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert "/en/cases/" in link and link.startswith("http")


def test_the_solutions_feed_lists_approved_solutions_only(client, theme):
    approved_solution(theme, name="Leak finder")
    SolutionFactory(clusters=[theme], name="Still a draft")

    assert _titles(_atom(client, "/en/feeds/solutions/")) == ["Leak finder"]


def test_the_events_feed_lists_upcoming_events_in_the_readers_language(client, theme):
    EventFactory(name="Seoul Summit", name_ko="서울 서밋")
    past_event(name="Kick-off 2018")

    english = _atom(client, "/en/feeds/events/")
    korean = _atom(client, "/ko/feeds/events/")

    assert _titles(english) == ["Seoul Summit"]
    assert _titles(korean) == ["서울 서밋"]
    assert korean.find(f"{ATOM}title").text != english.find(f"{ATOM}title").text


def _sitemap_urls(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {}
    for url in root.findall(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        urls[url.find(f"{SITEMAP}loc").text] = alternates
    return urls


def test_the_sitemap_lists_every_public_page_in_four_languages_with_alternates(client, theme):
    case = published_case(theme)
    solution = approved_solution(theme)
    event = EventFactory(slug="seoul-summit")
    draft = ProjectApplicationFactory(cluster=theme)
    hidden = SolutionFactory(clusters=[theme])
    unverified = OrganisationFactory(is_verified=False)

    urls = _sitemap_urls(client)
    paths = {loc.split("://", 1)[1].split("/", 1)[1] for loc in urls}

    languages = [code for code, _name in settings.LANGUAGES]
    for language in languages:
        for path in ("", "take-part/", "clusters/", "cases/", "solutions/", "events/", "events/past/"):
            assert f"{language}/{path}" in paths
        assert f"{language}/clusters/{theme.slug}/" in paths
        assert f"{language}/events/{event.slug}/" in paths
        assert f"{language}/cases/{case.pk}/" in paths
        assert f"{language}/solutions/{solution.pk}/" in paths
        assert f"{language}/organisations/{case.organisation_id}/" in paths
    assert not any(path.endswith(f"organisations/{unverified.pk}/") for path in paths)
    assert not any(f"/{draft.pk}/" in path and "cases/" in path for path in paths)
    assert not any(path.endswith(f"solutions/{hidden.pk}/") for path in paths)
    cluster_page = next(loc for loc in urls if loc.endswith(f"/ko/clusters/{theme.slug}/"))
    assert set(urls[cluster_page]) == {*languages, "x-default"}
    assert urls[cluster_page]["fr"].endswith(f"/fr/clusters/{theme.slug}/")
    # x-default: the unprefixed address, which sends each reader to their own language.
    assert urls[cluster_page]["x-default"] == f"http://testserver/clusters/{theme.slug}/"


def test_the_sitemap_takes_as_many_queries_for_many_rows_as_for_few(client, theme, django_assert_max_num_queries):
    for _ in range(3):
        published_case(ClusterFactory())
    with django_assert_max_num_queries(10):
        client.get("/sitemap.xml")


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_private_pages(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Disallow: /ko/me/" in lines and "Disallow: /fr/applications/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
