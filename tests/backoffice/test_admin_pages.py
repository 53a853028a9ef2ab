"""Every model registered in admin: its list, add, change and history pages open for staff, and lists stay fast."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Organisation
from applications.models import ProjectApplication
from core.admin_lists import ListPageAdminMixin
from tests.backoffice.samples import sample_maker
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    SubmittedApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _model_admin in REGISTERED]
# Admins of a model that has one row (the programme's contacts): their list opens that row instead.
LISTS = [(model, model_admin) for model, model_admin in REGISTERED if not getattr(model_admin, "single_row", False)]
LIST_IDS = [model._meta.label for model, _model_admin in LISTS]
SINGLE_ROWS = [(model, model_admin) for model, model_admin in REGISTERED if (model, model_admin) not in LISTS]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(("model", "model_admin"), LISTS, ids=LIST_IDS)
def test_changelist_with_search_and_every_filter_loads(admin_client, model, model_admin):
    sample_maker(model)()

    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model._default_manager.count()
    if model_admin.search_fields:
        assert admin_client.get(_url(model, "changelist") + "?q=a").status_code == 200
    for spec in response.context["cl"].filter_specs:
        for choice in list(spec.choices(response.context["cl"]))[1:2]:
            assert admin_client.get(_url(model, "changelist") + choice["query_string"]).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_add_page_loads_where_adding_is_allowed(admin_client, model, model_admin):
    response = admin_client.get(_url(model, "add"))

    assert response.status_code == (200 if model_admin.has_add_permission(response.wsgi_request) else 403)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_change_and_history_pages_load(admin_client, model, model_admin):
    row = sample_maker(model)()

    assert admin_client.get(_url(model, "change", row.pk)).status_code == 200
    assert admin_client.get(_url(model, "history", row.pk)).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), SINGLE_ROWS, ids=[m._meta.label for m, _a in SINGLE_ROWS])
def test_the_list_of_a_single_row_opens_that_row(admin_client, model, model_admin):
    response = admin_client.get(_url(model, "changelist"))

    row = model._default_manager.get()
    assert response.status_code == 302 and response["Location"] == _url(model, "change", row.pk)
    assert admin_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), LISTS, ids=LIST_IDS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model, model_admin):
    make = sample_maker(model)
    make()
    admin_client.get(_url(model, "changelist"))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(_url(model, "changelist"))
    for _ in range(99):
        make()
    admin_client.get(_url(model, "changelist"))  # the new rows renewed the cached filter choices
    with CaptureQueriesContext(connection) as hundred_rows:
        response = admin_client.get(_url(model, "changelist"))

    assert len(response.context["cl"].result_list) == min(100, model_admin.list_per_page)
    assert len(hundred_rows) == len(one_row), [q["sql"] for q in hundred_rows.captured_queries]


ACTIONS = [
    (model, name) for model, model_admin in REGISTERED for name in (model_admin.actions or []) if isinstance(name, str)
]


@pytest.mark.parametrize(("model", "action"), ACTIONS, ids=[f"{m._meta.label}.{a}" for m, a in ACTIONS])
def test_every_action_runs_on_a_row_without_an_error(admin_client, model, action, django_capture_on_commit_callbacks):
    row = sample_maker(model)()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_url(model, "changelist"), {"action": action, "_selected_action": [row.pk]})

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].startswith(_url(model, "changelist"))


def test_verify_action_marks_the_organisation_verified(admin_client):
    organisation = OrganisationFactory(is_verified=False)

    admin_client.post(
        _url(organisation._meta.model, "changelist"), {"action": "verify", "_selected_action": [organisation.pk]}
    )

    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.verified_at is not None


PORTAL_APPS = {"accounts", "applications", "clusters", "events", "kpis", "notifications"}
PORTAL_ADMINS = [(model, model_admin) for model, model_admin in REGISTERED if model._meta.app_label in PORTAL_APPS]


@pytest.mark.parametrize(("model", "model_admin"), PORTAL_ADMINS, ids=[m._meta.label for m, _a in PORTAL_ADMINS])
def test_every_portal_list_is_drawn_the_shared_way(model, model_admin):
    assert isinstance(model_admin, ListPageAdminMixin)


def test_a_long_list_shows_twenty_five_rows_and_a_second_page(admin_client):
    OrganisationFactory.create_batch(26)

    response = admin_client.get(_url(Organisation, "changelist"))

    assert len(response.context["cl"].result_list) == 25
    assert admin_client.get(_url(Organisation, "changelist") + "?p=2").context["cl"].result_list.count() == 1


@pytest.mark.parametrize(("model", "model_admin"), PORTAL_ADMINS, ids=[m._meta.label for m, _a in PORTAL_ADMINS])
def test_row_checkbox_is_djangos_checkbox_with_its_label(admin_client, model, model_admin):
    row = sample_maker(model)()

    response = admin_client.get(_url(model, "changelist"))

    expected = admin.ModelAdmin.action_checkbox(model_admin, row)
    assert f'aria-label="Select this object for an action - {escape(str(row))}"' in expected
    assert expected in response.content.decode()


@pytest.mark.parametrize(("model", "model_admin"), PORTAL_ADMINS, ids=[m._meta.label for m, _a in PORTAL_ADMINS])
def test_row_links_of_a_filtered_list_lead_back_to_it_as_djangos_do(admin_client, model, model_admin):
    row = sample_maker(model)()
    query = "?o=1"  # any parameter of the list: an ordering is one every list has

    response = admin_client.get(_url(model, "changelist") + query)

    cl = response.context["cl"]
    change_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])
    expected = add_preserved_filters(
        {"preserved_filters": model_admin.get_preserved_filters(response.wsgi_request), "opts": cl.opts}, change_url
    )
    assert expected == change_url + "?_changelist_filters=o%3D1"
    assert f'href="{escape(expected)}"' in response.content.decode()


def test_country_filter_offers_the_countries_in_use_and_filters_by_them(admin_client):
    SubmittedApplicationFactory(organisation__country="KR", title="Seoul sensors")
    SubmittedApplicationFactory(organisation__country="ES", title="Bilbao lighting")
    url = _url(ProjectApplication, "changelist")

    response = admin_client.get(url)
    [countries] = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "organisation__country"]
    offered = [choice["display"] for choice in countries.choices(response.context["cl"])]
    filtered = admin_client.get(url + "?organisation__country=ES").content.decode()

    assert offered == ["All", "South Korea", "Spain"]
    assert "Bilbao lighting" in filtered and "Seoul sensors" not in filtered


@pytest.mark.parametrize("query", ["", "?organisation__country=ES&status__exact=submitted&o=2"])
def test_country_filter_links_are_django_countries_links(admin_client, query):
    """The country filter makes its links from one built for a placeholder: the same as django-countries' own."""
    from django_countries.filters import CountryFilter

    SubmittedApplicationFactory(organisation__country="KR")
    SubmittedApplicationFactory(organisation__country="ES")
    SubmittedApplicationFactory(organisation__country="CI")  # Côte d'Ivoire
    cl = admin_client.get(_url(ProjectApplication, "changelist") + query).context["cl"]
    [countries] = [spec for spec in cl.filter_specs if spec.field_path == "organisation__country"]

    ours = list(countries.choices(cl))
    assert ours == list(CountryFilter.choices(countries, cl))
    assert len(ours) == 4 and [choice["selected"] for choice in ours].count(True) == 1


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("who", ["superuser", "view-only staff"])
def test_the_sidebar_is_djangos_app_list_markup(rf, staff_user, language, who):
    """The sidebar's app list (core/templatetags/admin_navigation.py) against Django's own template, for someone who
    may add (links to add) and someone who may only view some lists (none), on a list page (the current one marked)."""
    from django.contrib.auth.models import Permission
    from django.template import Context, Template
    from django.test.html import parse_html
    from django.utils import translation

    user = staff_user
    if who == "view-only staff":
        user = UserFactory(is_staff=True)
        user.user_permissions.set(Permission.objects.filter(codename__in=["view_projectapplication", "view_event"]))
    request = rf.get(_url(ProjectApplication, "changelist"))
    request.user = user
    with translation.override(language):
        apps = admin.site.get_app_list(request)
        context = Context({"apps": list(apps), "request": request})
        djangos = Template("{% include 'admin/app_list.html' with app_list=apps show_changelinks=False %}").render(
            context
        )
        ours = Template("{% load admin_navigation %}{% nav_app_list apps %}").render(context)

    assert parse_html(ours) == parse_html(djangos)
    assert 'aria-current="page"' in ours and "current-app" in ours
    assert ("addlink" in ours) == (who == "superuser")


def test_every_back_office_page_has_the_sidebar_with_its_list_marked(admin_client):
    response = admin_client.get(_url(ProjectApplication, "changelist"))

    sidebar = response.content.decode().split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{_url(ProjectApplication, "changelist")}" aria-current="page">' in sidebar
    assert f'href="{_url(Organisation, "changelist")}"' in sidebar


@pytest.mark.parametrize("language", ["en", "fr"])
def test_filters_drawn_by_a_tag_are_djangos_filter_markup(admin_client, language):
    """The event, cluster and country filters (core/admin_lists.py) against Django's admin/filter.html, one of their
    choices selected, with names that need escaping."""
    from django.template.loader import get_template
    from django.test.html import parse_html

    from events.models import Registration
    from tests.factories import RegistrationFactory

    registration = RegistrationFactory(event__name="Smart & Safe <Cities>")
    RegistrationFactory()  # a filter of one choice is not shown
    SubmittedApplicationFactory(organisation__country="KR")
    pages = [
        _url(Registration, "changelist") + f"?event__id__exact={registration.event_id}",
        _url(ProjectApplication, "changelist") + "?organisation__country=KR",
    ]
    drawn = 0
    for page in pages:
        response = admin_client.get(page, headers={"accept-language": language})
        cl = response.context["cl"]
        for spec in cl.filter_specs:
            if spec.template != "admin/filter_choices.html":
                continue
            context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
            ours = get_template(spec.template).render(context)
            djangos = get_template("admin/filter.html").render(context)
            assert parse_html(ours) == parse_html(djangos)
            assert 'class="selected"' in ours
            drawn += 1
    assert drawn == 3  # events, clusters, countries


def test_the_registrations_event_filter_offers_an_event_as_soon_as_it_has_a_registration(admin_client):
    """The filter's choices are kept between views (core/caches.py "admin-filter-choices"): a registration for an
    event it already offers keeps them, the first registration for another event shows that event at once."""
    expo, summit = EventFactory(name="Smart City Expo"), EventFactory(name="WeGO Summit")
    RegistrationFactory(event=expo)
    RegistrationFactory(event=summit)
    url = reverse("admin:events_registration_changelist")

    def offered() -> list[str]:
        event_filter = next(s for s in admin_client.get(url).context["cl"].filter_specs if s.field_path == "event")
        return sorted(name for _pk, name in event_filter.lookup_choices)

    assert offered() == ["Smart City Expo", "WeGO Summit"]
    RegistrationFactory(event=expo)
    assert offered() == ["Smart City Expo", "WeGO Summit"]
    RegistrationFactory(event=EventFactory(name="Tech Jam Busan"))
    assert offered() == ["Smart City Expo", "Tech Jam Busan", "WeGO Summit"]
