"""Public pages served from the cache to visitors without a session (core/caches.py)."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.caches import PAGES, cache_public_page, current
from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    ProjectApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_pages():
    cluster = ClusterFactory(name="Digital Twins")
    case = ProjectApplicationFactory(cluster=cluster, status="accepted", published_at=timezone.now())
    solution = ApprovedSolutionFactory(clusters=[cluster])
    event = EventFactory(related_clusters=[cluster])
    return [
        reverse("home"),
        reverse("clusters:list"),
        cluster.get_absolute_url(),
        reverse("cases:library") + "?q=city",
        reverse("cases:detail", args=[case.pk]),
        reverse("solutions:directory") + "?offering=product",
        solution.get_absolute_url(),
        reverse("events:upcoming"),
        reverse("events:past"),
        reverse("events:cluster", args=[cluster.slug]),
        event.get_absolute_url(),
        reverse("take_part"),
        reverse("organisation_profile", args=[solution.organisation_id]),
    ]


def test_a_visitor_gets_every_public_page_again_without_a_database_query(
    client, public_pages, django_assert_num_queries
):
    for path in public_pages:
        first = client.get(path)
        assert first.status_code == 200, path

        with django_assert_num_queries(0):
            again = client.get(path)

        assert again.status_code == 200
        assert again.content == first.content, path


def test_a_change_shows_at_once(client):
    cluster = ClusterFactory(name="Digital Twins")
    client.get(reverse("clusters:list"))

    cluster.name = "Urban Digital Twins"
    cluster.save()

    assert "Urban Digital Twins" in client.get(reverse("clusters:list")).text


def test_a_deletion_shows_at_once(client):
    cluster = ClusterFactory(name="Digital Twins")
    client.get(reverse("clusters:list"))

    cluster.delete()

    assert "Digital Twins" not in client.get(reverse("clusters:list")).text


def test_a_new_link_between_rows_shows_at_once(client):
    cluster = ClusterFactory()
    event = EventFactory(name="Flood Resilience Forum")
    client.get(reverse("events:cluster", args=[cluster.slug]))

    event.related_clusters.add(cluster)

    assert "Flood Resilience Forum" in client.get(reverse("events:cluster", args=[cluster.slug])).text


def test_the_version_changes_again_when_the_change_is_committed(django_capture_on_commit_callbacks):
    cluster = ClusterFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        cluster.name = "Renamed"
        cluster.save()
        during = current("catalogue")  # a page built now may still read the old row...

    assert current("catalogue") != during  # ...so it is not served once the change is visible


def test_signing_in_updates_no_public_page(client):
    user = UserFactory()
    client.get(reverse("clusters:list"))
    versions = [current(page.name) for page in PAGES]

    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])

    assert [current(page.name) for page in PAGES] == versions


def test_each_language_is_cached_on_its_own(client):
    ClusterFactory(name="Digital Twins", name_ko="디지털 트윈")
    client.get("/en/clusters/")

    assert "디지털 트윈" in client.get("/ko/clusters/").text
    assert "Digital Twins" in client.get("/en/clusters/").text


def test_a_signed_in_person_never_gets_a_visitors_page_nor_leaves_theirs(client):
    ClusterFactory()
    person = UserFactory(full_name="Min-ji Kim")
    client.get(reverse("clusters:list"))  # a visitor's copy is cached

    client.force_login(person)
    theirs = client.get(reverse("clusters:list")).text
    client.logout()
    visitor = client.get(reverse("clusters:list")).text

    assert "Min-ji Kim" in theirs and "Sign out" in theirs
    assert "Min-ji Kim" not in visitor and "Sign in" in visitor


def test_a_message_waiting_for_a_visitor_is_shown_on_the_cached_page(client):
    client.get(reverse("home"))  # a visitor's copy is cached
    client.force_login(UserFactory())

    page = client.post(reverse("account_logout"), follow=True)

    assert page.request["PATH_INFO"] == reverse("home")
    assert "You have signed out." in page.text
    assert "You have signed out." not in client.get(reverse("home")).text  # shown once, as always


def test_browsers_and_proxies_are_not_told_to_keep_the_page(client):
    client.get(reverse("clusters:list"))

    response = client.get(reverse("clusters:list"))

    assert not response.has_header("Expires")
    assert not response.has_header("Cache-Control")
    assert not response.has_header("Age")


def test_a_page_that_hands_out_a_form_token_is_never_stored():
    built = []

    @cache_public_page("home")
    def page_with_a_form(request):
        built.append(1)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    for _ in range(2):
        page_with_a_form(RequestFactory().get("/en/form/"))

    assert len(built) == 2


def test_zero_seconds_turns_the_cache_off(client, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    ClusterFactory()
    client.get(reverse("clusters:list"))

    with django_assert_max_num_queries(10) as queries:
        client.get(reverse("clusters:list"))

    assert len(queries) > 0


def test_pages_changes_and_sessions_go_on_while_the_cache_is_unreachable(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    cluster = ClusterFactory(name="Digital Twins")  # saving marks the pages changed: that fails, the save does not

    visitor = client.get(reverse("clusters:list"))
    client.force_login(UserFactory(full_name="Min-ji Kim"))  # the session is kept in the database all the same
    person = client.get(reverse("clusters:list"))

    assert visitor.status_code == 200 and "Digital Twins" in visitor.text
    assert person.status_code == 200 and "Min-ji Kim" in person.text
    cluster.refresh_from_db()
    assert cluster.name == "Digital Twins"


def test_a_draft_saved_leaves_the_cached_catalogue_in_place(client, django_assert_num_queries):
    draft = ProjectApplicationFactory()
    client.get(reverse("clusters:list"))

    draft.title = "Smart street lighting, second thoughts"
    draft.save()

    with django_assert_num_queries(0):
        client.get(reverse("clusters:list"))


def test_a_member_approved_shows_at_once_in_the_catalogue(client):
    request = ClusterMembershipFactory(cluster=ClusterFactory(name="Digital Twins"), status="pending")
    before = client.get(reverse("clusters:list")).text

    request.status = "active"
    request.save()

    assert client.get(reverse("clusters:list")).text != before
