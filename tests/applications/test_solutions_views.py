"""Solution pages as each role sees them: registering, "My solutions", the directory, a solution's page."""

import pytest
from django.urls import reverse

from applications.models import SolutionRegistration
from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory, SolutionFactory
from tests.factories import ClusterFactory, OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


# --- Who may register ----------------------------------------------------------------------------------


def test_a_city_cannot_register_a_solution_and_is_told_why(client, official):
    client.force_login(official)
    for name in ("solutions:new", "solutions:mine"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        html = _html(response)
        assert "registered as a city, and cities do not register solutions" in html
        assert reverse("applications:new") in html
    response = client.post(reverse("solutions:new"), {"name": "Not ours to offer"})
    assert response.status_code == 403
    assert not SolutionRegistration.objects.exists()


def test_a_company_cannot_start_a_project_application_and_is_told_why(client, provider):
    client.force_login(provider)
    response = client.get(reverse("applications:new"))
    assert response.status_code == 403
    assert "register the solutions it offers instead" in _html(response)


def test_a_person_without_organisation_is_told_to_set_it_up(client, user):
    client.force_login(user)
    response = client.get(reverse("solutions:new"))
    assert response.status_code == 403
    assert "Set up or join your organisation first" in _html(response)
    assert reverse("accounts:organisation_start") in _html(response)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("solutions:new"))
    assert response.status_code == 302 and reverse("account_login") in response.url


# --- Registering ---------------------------------------------------------------------------------------


def test_a_company_registers_and_submits_a_solution(
    client, provider, company, cluster, leader, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(provider)
    response = client.post(reverse("solutions:new"), {"name": "Leak finder"})
    solution = SolutionRegistration.objects.get()
    assert response.url == reverse("solutions:edit", args=[solution.pk])
    assert (solution.organisation, solution.created_by, solution.status) == (company, provider, "draft")

    data = {
        "name": "Leak finder",
        "summary": "Finds leaks in water mains.",
        "description": "Acoustic sensors on pipes.",
        "clusters": [cluster.pk],
        "offering": "product",
        "maturity": "pilot",
        "standards": "oneM2M",
        "website": "example.com/leaks",
        "deployments-TOTAL_FORMS": "2",
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-city": "Lyon",
        "deployments-0-country": "FR",
        "deployments-0-year": "2024",
        "deployments-0-result": "A fifth less water lost.",
        "submit": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("solutions:edit", args=[solution.pk]), data)
    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.status == "submitted"
    assert solution.website == "https://example.com/leaks"
    assert list(solution.clusters.all()) == [cluster]
    assert [(d.city, d.country.code, d.year) for d in solution.deployments.all()] == [("Lyon", "FR", 2024)]
    assert [m.to for m in mailoutbox] == [[leader.email]]


def test_a_bad_year_and_website_are_explained_and_nothing_typed_is_lost(client, provider, solution):
    client.force_login(provider)
    data = {
        "name": "Leak finder",
        "summary": "My carefully typed summary.",
        "website": "not a website",
        "deployments-TOTAL_FORMS": "1",
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-city": "Lyon",
        "deployments-0-country": "FR",
        "deployments-0-year": "1200",
        "save": "",
    }
    response = client.post(reverse("solutions:edit", args=[solution.pk]), data)
    assert response.status_code == 400
    html = _html(response)
    assert "Enter the full address of the website" in html
    assert "Enter a year from 1990 on." in html
    assert "My carefully typed summary." in html
    solution.refresh_from_db()
    assert solution.summary != "My carefully typed summary."


def test_a_solution_draft_saves_in_place_too(client, provider, solution):
    """The worksheet's script serves the solution form as well: one implementation for both kinds."""
    client.force_login(provider)
    data = {
        "name": solution.name,
        "summary": "Saved where I was typing.",
        "deployments-TOTAL_FORMS": "0",
        "deployments-INITIAL_FORMS": "0",
        "save": "",
    }

    response = client.post(reverse("solutions:edit", args=[solution.pk]), data, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert set(response.json()) == {"saved", "message"} and response.json()["message"].startswith("Draft saved at ")
    solution.refresh_from_db()
    assert solution.summary == "Saved where I was typing."


def test_submitting_an_incomplete_solution_keeps_the_draft_and_says_what_is_missing(client, provider, company):
    solution = SolutionFactory(organisation=company, created_by=provider, description="")
    client.force_login(provider)
    data = {
        "name": solution.name,
        "summary": "Typed summary",
        "deployments-TOTAL_FORMS": "0",
        "deployments-INITIAL_FORMS": "0",
        "submit": "",
    }
    response = client.post(reverse("solutions:edit", args=[solution.pk]), data)
    assert response.status_code == 400
    html = _html(response)
    assert "cannot be submitted yet" in html and "at least one thematic cluster" in html
    solution.refresh_from_db()
    assert (solution.status, solution.summary) == ("draft", "Typed summary")


def test_people_of_other_organisations_cannot_edit(client, solution, official, leader):
    other_company = OrganisationMembershipFactory(organisation=OrganisationFactory(kind="company")).user
    for person in (other_company, official):
        client.force_login(person)
        assert client.get(reverse("solutions:edit", args=[solution.pk])).status_code == 404
    solution.status = "submitted"
    solution.save(update_fields=["status"])
    client.force_login(leader)
    response = client.get(reverse("solutions:edit", args=[solution.pk]))
    assert response.status_code == 403
    assert "Only people of Urban Sensors Ltd can change this solution." in _html(response)


def test_a_submitted_solution_cannot_be_edited_by_the_company(client, provider, solution):
    solution.status = "under_review"
    solution.save(update_fields=["status"])
    client.force_login(provider)
    response = client.get(reverse("solutions:edit", args=[solution.pk]), follow=True)
    assert "cannot be changed now" in _html(response)


def test_my_solutions_lists_the_organisations_solutions_only(client, provider, solution, company):
    colleague_solution = SolutionFactory(organisation=company, name="Second one")
    SolutionFactory(name="Someone else's")
    client.force_login(provider)
    html = _html(client.get(reverse("solutions:mine")))
    assert solution.name in html and colleague_solution.name in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html


@pytest.mark.parametrize("size", [1, 40])
def test_my_solutions_queries_stay_constant(client, provider, company, cluster, django_assert_num_queries, size):
    SolutionFactory.create_batch(size, organisation=company, clusters=[cluster])
    client.force_login(provider)
    # the person (with organisation and led clusters), count, page, clusters of the page (session cached)
    with django_assert_num_queries(4):
        client.get(reverse("solutions:mine"))


# --- The solution page -----------------------------------------------------------------------------------


def test_a_draft_is_visible_only_to_its_company_and_staff(client, solution, provider, leader, official, staff_user):
    url = solution.get_absolute_url()
    assert client.get(url).status_code == 404
    for person, status in ((official, 404), (leader, 404), (provider, 200), (staff_user, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status, person


def test_a_sent_solution_is_visible_to_the_leaders_of_its_clusters(client, solution, leader):
    solution.status = "submitted"
    solution.save(update_fields=["status"])
    client.force_login(leader)
    assert client.get(solution.get_absolute_url()).status_code == 200
    client.force_login(ClusterFactory(leaders=[UserFactory()]).leaders.get())
    assert client.get(solution.get_absolute_url()).status_code == 404


def test_an_approved_solution_is_public_with_its_deployments(client, cluster):
    solution = ApprovedSolutionFactory(clusters=[cluster], name="Leak finder")
    DeploymentFactory(solution=solution, city="Valencia", country="ES", year=2023, result="Leaks found in days")
    html = _html(client.get(solution.get_absolute_url()))
    assert "Leak finder" in html and "Valencia" in html and "Spain" in html and "Leaks found in days" in html
    assert cluster.name in html


def test_staff_review_from_the_solution_page(client, solution, provider, staff_user):
    solution.status = "submitted"
    solution.save(update_fields=["status"])
    client.force_login(staff_user)
    url = reverse("solutions:transition", args=[solution.pk])
    client.post(url, {"action": "start_review"})
    response = client.post(url, {"action": "decline", "note": ""}, follow=True)
    assert "Write a note" in _html(response)
    client.post(url, {"action": "accept"})
    solution.refresh_from_db()
    assert solution.status == "accepted"


def test_the_company_cannot_accept_its_own_solution(client, solution, provider):
    solution.status = "under_review"
    solution.save(update_fields=["status"])
    client.force_login(provider)
    response = client.post(reverse("solutions:transition", args=[solution.pk]), {"action": "accept"})
    assert response.status_code == 403
    solution.refresh_from_db()
    assert solution.status == "under_review"


# --- The directory ---------------------------------------------------------------------------------------


def test_the_directory_shows_approved_solutions_only(client, cluster):
    approved = ApprovedSolutionFactory(clusters=[cluster], name="Approved leak finder")
    for status in ("draft", "submitted", "under_review", "changes_requested", "declined", "withdrawn"):
        SolutionFactory(clusters=[cluster], status=status, name=f"Hidden {status}")
    html = _html(client.get(reverse("solutions:directory")))
    assert approved.name in html
    assert "Hidden" not in html


def test_the_directory_filters_by_cluster_offering_maturity_country_and_words(client):
    mobility, utility = ClusterFactory(name="Smart Mobility"), ClusterFactory(name="Smart Utility")
    bus = ApprovedSolutionFactory(
        name="Bus priority signals",
        summary="Green lights for buses.",
        description="Traffic signals.",
        clusters=[mobility],
        offering="service",
        maturity="pilot",
    )
    DeploymentFactory(solution=bus, country="KR")
    leak = ApprovedSolutionFactory(name="Leak finder", clusters=[utility], offering="product", maturity="deployed")
    DeploymentFactory(solution=leak, country="FR")
    DeploymentFactory(solution=leak, country="FR", city="Paris")
    url = reverse("solutions:directory")

    def names(**query):
        return [s.name for s in client.get(url, query).context["page_obj"]]

    assert names(cluster=mobility.pk) == [bus.name]
    assert names(offering="product") == [leak.name]
    assert names(maturity="pilot") == [bus.name]
    assert names(country="FR") == [leak.name]
    assert names(q="buses") == [bus.name]
    assert sorted(names()) == sorted([bus.name, leak.name])
    # A value the form does not know is ignored rather than an error.
    assert client.get(url, {"cluster": "nonsense", "maturity": "<script>"}).status_code == 200


@pytest.mark.parametrize("size", [1, 100])
def test_the_directory_queries_stay_constant(client, django_assert_num_queries, size):
    clusters = ClusterFactory.create_batch(3)
    for number in range(size):
        solution = ApprovedSolutionFactory(clusters=clusters[: 1 + number % 3])
        DeploymentFactory(solution=solution, country=["FR", "KR", "US"][number % 3])
    # deployment countries, cluster choices (filter form), count, page, clusters of the page;
    # filtering by a cluster reads the chosen cluster once more
    for query, expected in (({}, 5), ({"q": "leaks", "country": "FR", "cluster": clusters[0].pk}, 6)):
        with django_assert_num_queries(expected):
            response = client.get(reverse("solutions:directory"), query)
        assert response.status_code == 200
    assert len(response.context["page_obj"]) == (1 if size == 1 else 12)


def test_the_directory_is_paginated(client):
    ApprovedSolutionFactory.create_batch(13)
    response = client.get(reverse("solutions:directory"))
    assert len(response.context["page_obj"]) == 12
    assert len(client.get(reverse("solutions:directory"), {"page": 2}).context["page_obj"]) == 1


# --- Navigation and the cluster page ---------------------------------------------------------------------


def test_navbar_shows_solutions_to_all_and_my_solutions_to_providers(client, provider, official):
    html = _html(client.get(reverse("home")))
    assert reverse("solutions:directory") in html and reverse("solutions:mine") not in html
    client.force_login(official)
    assert reverse("solutions:mine") not in _html(client.get(reverse("home")))
    client.force_login(provider)
    assert "My solutions" in _html(client.get(reverse("home")))


def test_cluster_page_shows_accepted_projects_and_approved_solutions(client, cluster):
    from tests.factories import ProjectApplicationFactory

    ProjectApplicationFactory(cluster=cluster, status="accepted", title="Accepted lighting")
    ProjectApplicationFactory(cluster=cluster, status="submitted", title="Pending lighting")
    ApprovedSolutionFactory(clusters=[cluster], name="Approved leak finder")
    SolutionFactory(clusters=[cluster], status="submitted", name="Pending leak finder")
    html = _html(client.get(cluster.get_absolute_url()))
    assert "Accepted projects" in html and "Accepted lighting" in html and "Pending lighting" not in html
    assert "Approved solutions" in html and "Approved leak finder" in html and "Pending leak finder" not in html
