"""Back-office lists show at once what is true; only their filters' choices are cached (core/caches.py)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Organisation
from applications.models import ProjectApplication
from notifications.models import OutboundEmail
from tests.backoffice.samples import sample_maker
from tests.conftest import activate_totp
from tests.factories import ClusterFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("admin:applications_projectapplication_changelist")


def _filters(response) -> str:
    return re.search(r'<nav id="changelist-filter".*?</nav>', response.text, re.S).group(0)


def _selected(response) -> list[str]:
    return re.findall(r'<li class="selected">\s*<a[^>]*>([^<]*)</a>', _filters(response))


def test_a_new_cluster_is_offered_in_the_filters_at_once(admin_client):
    SubmittedApplicationFactory(cluster__name="Smart Mobility")
    admin_client.get(APPLICATIONS)

    ClusterFactory(name="Urban Resilience")
    filters = _filters(admin_client.get(APPLICATIONS))

    assert "Smart Mobility" in filters and "Urban Resilience" in filters


def test_a_new_country_is_offered_in_the_filters_at_once(admin_client):
    SubmittedApplicationFactory(organisation__country="KR")
    admin_client.get(APPLICATIONS)

    SubmittedApplicationFactory(organisation__country="ES")
    filters = _filters(admin_client.get(APPLICATIONS))

    assert "South Korea" in filters and "Spain" in filters


def test_each_address_shows_its_own_chosen_filters(admin_client):
    SubmittedApplicationFactory()

    submitted = admin_client.get(APPLICATIONS + "?status__exact=submitted")
    drafts = admin_client.get(APPLICATIONS + "?status__exact=draft")
    again = admin_client.get(APPLICATIONS + "?status__exact=submitted")

    assert "Submitted" in _selected(submitted) and "Draft" not in _selected(submitted)
    assert "Draft" in _selected(drafts) and "Submitted" not in _selected(drafts)
    assert _filters(again) == _filters(submitted)
    # The other filters' links keep the chosen status.
    assert "?published_at__isnull=False&amp;status__exact=draft" in _filters(drafts)
    assert "?published_at__isnull=False&amp;status__exact=submitted" in _filters(submitted)


def test_counts_asked_for_are_always_current(admin_client):
    SubmittedApplicationFactory()
    assert "Submitted (1)" in _filters(admin_client.get(APPLICATIONS + "?_facets=True"))

    SubmittedApplicationFactory()

    assert "Submitted (2)" in _filters(admin_client.get(APPLICATIONS + "?_facets=True"))


def test_each_language_has_its_own_filters(admin_client, settings):
    SubmittedApplicationFactory()

    english = _filters(admin_client.get(APPLICATIONS))
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = _filters(admin_client.get(APPLICATIONS))

    assert "By status" in english and "By status" not in korean


def test_the_navigation_sidebar_marks_the_list_open_and_lists_only_what_the_person_may_see(client, admin_client):
    applications = admin_client.get(APPLICATIONS)
    organisations = admin_client.get(reverse("admin:accounts_organisation_changelist"))
    reviewer = UserFactory(is_staff=True)
    activate_totp(reviewer)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_projectapplication"))
    client.force_login(reviewer)
    reviewers_view = client.get(APPLICATIONS)

    def current(response) -> list[str]:
        sidebar = re.search(r'<nav class="sticky" id="nav-sidebar".*?</nav>', response.text, re.S).group(0)
        return re.findall(r'<tr class="model-(\w+) current-model"', sidebar), sidebar

    assert current(applications)[0] == ["projectapplication"]
    assert current(organisations)[0] == ["organisation"]
    marked, sidebar = current(reviewers_view)
    assert marked == ["projectapplication"]
    assert str(Organisation._meta.verbose_name_plural).capitalize() not in sidebar
    assert str(ProjectApplication._meta.verbose_name_plural).capitalize() in sidebar


def test_lists_open_while_the_cache_is_unreachable(admin_client, settings):
    SubmittedApplicationFactory(cluster__name="Smart Mobility")
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    response = admin_client.get(APPLICATIONS)

    assert response.status_code == 200 and "Smart Mobility" in _filters(response)


def test_back_office_pages_keep_the_portal_title_and_header(admin_client):
    for url in (reverse("admin:index"), APPLICATIONS):
        html = admin_client.get(url).text

        assert re.search(r"<title>[^<]+ \| WeGO back office</title>", html)
        assert "WeGO Cluster Portal: secretariat back office" in html


def test_the_action_menu_offers_each_person_only_their_actions_in_their_language(client, admin_client, settings):
    SubmittedApplicationFactory()

    def actions(response) -> list[str]:
        menu = re.search(r'<select name="action"[^>]*>.*?</select>', response.text, re.S).group(0)
        return re.findall(r'<option value="(\w*)"', menu)

    everything = actions(admin_client.get(APPLICATIONS))
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = admin_client.get(APPLICATIONS).text
    reviewer = UserFactory(is_staff=True)
    activate_totp(reviewer)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_projectapplication"))
    client.force_login(reviewer)
    viewer = actions(client.get(APPLICATIONS))

    assert {"start_review", "accept", "publish", "export_csv"} <= set(everything)
    assert "accept" not in viewer and "start_review" not in viewer
    assert "export_csv" in viewer
    assert "Accept the selected" not in korean


def _rows(response) -> str:
    return re.search(r'<table id="result_list".*?</table>', response.text, re.S).group(0)


def test_rows_show_at_once_what_changed_and_each_address_and_language_its_own(admin_client, settings):
    first = SubmittedApplicationFactory(title="Smart bins")
    assert "Smart bins" in _rows(admin_client.get(APPLICATIONS))

    SubmittedApplicationFactory(title="Traffic sensors")
    admin_client.post(APPLICATIONS, {"action": "start_review", "_selected_action": [first.pk]})
    rows = _rows(admin_client.get(APPLICATIONS))
    assert "Traffic sensors" in rows
    assert re.search(r"Smart bins</a></th>.*?Under review", rows, re.S)
    Organisation.objects.filter(pk=first.organisation_id).update(name="Daejeon Metropolitan City")  # no signal
    assert "Daejeon Metropolitan City" in _rows(admin_client.get(APPLICATIONS))

    by_title = _rows(admin_client.get(APPLICATIONS + "?o=1"))
    assert by_title.index("Smart bins") < by_title.index("Traffic sensors")
    # The same rows in the same order, but links back to another address.
    assert "_changelist_filters=o%3D1.2" in _rows(admin_client.get(APPLICATIONS + "?o=1.2"))
    assert _rows(admin_client.get(APPLICATIONS + "?o=-1")).index("Smart bins") > by_title.index("Smart bins")
    assert "Smart bins" not in _rows(admin_client.get(APPLICATIONS + "?q=traffic"))
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert "Under review" not in _rows(admin_client.get(APPLICATIONS))


def test_outbox_rows_show_at_once_what_the_worker_changed_in_bulk(admin_client):
    email = sample_maker(OutboundEmail)()
    outbox = reverse("admin:notifications_outboundemail_changelist")
    assert "Waiting to be sent" in _rows(admin_client.get(outbox))

    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SENT)  # as the worker does

    assert "Waiting to be sent" not in _rows(admin_client.get(outbox))


@pytest.mark.parametrize(
    "query", ["", "?status__exact=submitted", "?q=Lamp&o=2", "?cluster__id__exact={first}&stage__exact=pilot"]
)
def test_the_cluster_filters_links_are_djangos(admin_client, query):
    """Each choice's link is made from one built for a placeholder key: the same links as Django builds."""
    from django.contrib import admin
    from django.contrib.admin import RelatedFieldListFilter
    from django.test import RequestFactory

    first, second = ClusterFactory(name="Smart Mobility"), ClusterFactory(name="Urban Resilience")
    SubmittedApplicationFactory(cluster=first)
    query = query.format(first=first.pk)
    links = re.findall(r'href="(\?[^"]*)"', _filters(admin_client.get(APPLICATIONS + query)))

    model_admin = admin.site._registry[ProjectApplication]
    request = RequestFactory().get(APPLICATIONS + query)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    changelist = model_admin.get_changelist_instance(request)
    field = ProjectApplication._meta.get_field("cluster")
    djangos = RelatedFieldListFilter(
        field, request, dict(changelist.filter_params), ProjectApplication, model_admin, "cluster"
    )
    expected = [choice["query_string"] for choice in djangos.choices(changelist)]
    assert any(f"cluster__id__exact={second.pk}" in link for link in expected)
    shown = [link.replace("&amp;", "&") for link in links]
    assert all(link in shown for link in expected)
