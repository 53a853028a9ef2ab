"""Matchmaking between city projects and approved solutions, and the leaders' one-click introductions."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from applications import matching
from applications.models import Introduction
from tests.applications.solution_factories import ApprovedSolutionFactory, SolutionFactory
from tests.factories import ClusterFactory, ProjectApplicationFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIGHTING = {
    "name": "Adaptive street lighting controller",
    "summary": "Dims LED street lights when nobody is around.",
    "description": "Motion sensors and a lighting management system cut the electricity used by street lights.",
}
PARKING = {
    "name": "Parking payment app",
    "summary": "Drivers pay for parking from their phone.",
    "description": "Mobile payments and enforcement tools for parking wardens.",
}


@pytest.fixture
def application(city, cluster, official):
    # The factory's project is about street lighting, LED and motion sensors.
    return SubmittedApplicationFactory(organisation=city, cluster=cluster, created_by=official)


def test_a_relevant_solution_ranks_above_an_unrelated_one(application):
    elsewhere = ClusterFactory()
    unrelated = ApprovedSolutionFactory(clusters=[elsewhere], **PARKING)
    relevant = ApprovedSolutionFactory(clusters=[elsewhere], **LIGHTING)
    found = matching.solutions_for_application(application)
    assert [m.solution for m in found] == [relevant]
    assert unrelated not in [m.solution for m in found]
    assert "lighting" in found[0].reason or "street" in found[0].reason


def test_solutions_of_the_same_cluster_come_first(application, cluster):
    same_cluster = ApprovedSolutionFactory(clusters=[cluster], **PARKING)
    by_words = ApprovedSolutionFactory(clusters=[ClusterFactory()], **LIGHTING)
    found = matching.solutions_for_application(application)
    assert [m.solution for m in found] == [same_cluster, by_words]
    assert found[0].reason == f"Serves this project's cluster, {cluster.name}."
    assert found[1].reason.startswith("Mentions “")


def test_a_solution_of_the_same_cluster_with_shared_words_says_both(application, cluster):
    ApprovedSolutionFactory(clusters=[cluster], **LIGHTING)
    [match] = matching.solutions_for_application(application)
    assert match.reason.startswith(f"Serves this project's cluster, {cluster.name}, and mentions “")


def test_the_reason_names_the_cluster_in_the_readers_language(application, cluster):
    """The matches are kept for everyone who may see them (core/caches.py "matches"): the cluster's name in their
    reason is the reader's, not that of whoever was first to see them."""
    cluster.name_fr, cluster.name_ko = "Éclairage intelligent", "스마트 조명"
    cluster.save()
    application.cluster = cluster  # as the pages read it, with its names
    ApprovedSolutionFactory(clusters=[cluster], **PARKING)

    with translation.override("fr"):
        [first] = matching.solutions_for_application(application)
        in_french = first.reason
    with translation.override("ko"):
        [kept] = matching.solutions_for_application(application)
        in_korean = kept.reason

    assert "Éclairage intelligent" in in_french
    assert "스마트 조명" in in_korean and "Éclairage" not in in_korean


def test_more_shared_words_rank_higher(application):
    other = ClusterFactory()
    weak = ApprovedSolutionFactory(clusters=[other], name="Sensors kit", summary="Generic sensors.", description="")
    strong = ApprovedSolutionFactory(clusters=[other], **LIGHTING)
    assert [m.solution for m in matching.solutions_for_application(application)] == [strong, weak]


def test_only_approved_solutions_are_matched(application, cluster):
    for status in ("draft", "submitted", "under_review", "changes_requested", "declined", "withdrawn"):
        SolutionFactory(clusters=[cluster], status=status, **LIGHTING)
    assert matching.solutions_for_application(application) == []


def test_the_limit_is_kept(application, cluster):
    ApprovedSolutionFactory.create_batch(7, clusters=[cluster])
    assert len(matching.solutions_for_application(application, limit=5)) == 5


def test_the_fallback_without_postgresql_ranks_the_same_way(application, cluster):
    """The zero-setup SQLite run scores plain word overlap; the order of the ideas is the same."""
    same_cluster = ApprovedSolutionFactory(clusters=[cluster], **PARKING)
    relevant = ApprovedSolutionFactory(clusters=[ClusterFactory()], **LIGHTING)
    ApprovedSolutionFactory(clusters=[ClusterFactory()], **PARKING)
    words = {application.pk: matching.application_words(application)}
    rows = matching._ranked_fallback([application], words, 5)
    assert [row[1] for row in rows] == [same_cluster.pk, relevant.pk]


def test_the_matches_of_many_applications_take_constant_queries(django_assert_num_queries, cluster):
    applications = SubmittedApplicationFactory.create_batch(6, cluster=cluster)
    ApprovedSolutionFactory.create_batch(4, clusters=[cluster])
    ApprovedSolutionFactory(clusters=[ClusterFactory()], **LIGHTING)
    for application in applications:
        application.cluster = cluster
    # the ranked pairs for every application, then the solutions they name and the introductions made
    with django_assert_num_queries(3):
        found = matching.matches_for_applications(applications, limit=3)
    assert all(len(found[a.pk]) == 3 for a in applications)


def test_cached_matches_show_a_solution_approved_after_they_were_cached(
    django_capture_on_commit_callbacks, django_assert_num_queries, cluster
):
    application = SubmittedApplicationFactory(cluster=cluster)
    application.cluster = cluster
    assert matching.matches_for_applications([application])[application.pk] == []
    with django_assert_num_queries(0):
        assert matching.matches_for_applications([application])[application.pk] == []
    with django_capture_on_commit_callbacks(execute=True):
        solution = ApprovedSolutionFactory(clusters=[cluster])
    found = matching.matches_for_applications([application])[application.pk]
    assert [match.solution for match in found] == [solution]


# --- On the application page ------------------------------------------------------------------------------


def test_the_city_sees_matches_on_its_application_page_without_an_introduce_button(client, application, official):
    ApprovedSolutionFactory(clusters=[ClusterFactory()], **LIGHTING)
    client.force_login(official)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "Solutions that fit" in html and LIGHTING["name"] in html
    assert "/introduce/" not in html


def test_the_leader_introduces_from_the_application_page(client, application, leader):
    solution = ApprovedSolutionFactory(clusters=[ClusterFactory()], **LIGHTING)
    client.force_login(leader)
    html = client.get(application.get_absolute_url()).content.decode()
    assert reverse("solutions:introduce", args=[solution.pk]) in html


# --- Introductions ----------------------------------------------------------------------------------------


def _introduce(client, application, solution):
    return client.post(
        reverse("solutions:introduce", args=[solution.pk]),
        {"application": application.pk, "next": reverse("clusters:lead")},
        follow=True,
    )


def test_a_leader_introduces_the_city_and_the_company_by_email(
    client, application, leader, official, provider, company, django_capture_on_commit_callbacks
):
    solution = ApprovedSolutionFactory(
        organisation=company, created_by=provider, clusters=[application.cluster], **LIGHTING
    )
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = _introduce(client, application, solution)
    assert "have been introduced by e-mail" in response.content.decode()
    introduction = Introduction.objects.get()
    assert (introduction.application, introduction.solution, introduction.introduced_by) == (
        application,
        solution,
        leader,
    )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {official.email, application.contact_email, provider.email}
    to_company = by_recipient[provider.email]
    assert application.title in to_company.body and solution.name in to_company.body
    assert application.contact_name in to_company.body and application.contact_email in to_company.body
    to_city = by_recipient[official.email]
    assert application.title in to_city.body and solution.name in to_city.body
    assert provider.full_name in to_city.body and provider.email in to_city.body
    assert leader.full_name in to_city.body


def test_the_same_introduction_is_never_sent_twice(
    client, application, leader, provider, company, django_capture_on_commit_callbacks
):
    solution = ApprovedSolutionFactory(organisation=company, created_by=provider, clusters=[application.cluster])
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        _introduce(client, application, solution)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = _introduce(client, application, solution)
    assert "were already introduced for this project" in response.content.decode()
    assert len(mail.outbox) == sent
    assert Introduction.objects.count() == 1


def test_the_database_refuses_a_duplicate_introduction(application, leader):
    from django.db import IntegrityError, transaction

    solution = ApprovedSolutionFactory(clusters=[application.cluster])
    Introduction.objects.create(application=application, solution=solution, introduced_by=leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.create(application=application, solution=solution, introduced_by=leader)


def test_people_other_than_the_projects_leaders_cannot_introduce(client, application, official, provider):
    solution = ApprovedSolutionFactory(clusters=[application.cluster])
    other_leader = UserFactory()
    ClusterFactory(leaders=[other_leader])
    for person, status in ((official, 403), (provider, 404), (other_leader, 404)):
        client.force_login(person)
        response = client.post(reverse("solutions:introduce", args=[solution.pk]), {"application": application.pk})
        assert response.status_code == status, person
    assert not Introduction.objects.exists()


def test_an_unapproved_solution_cannot_be_introduced(client, application, leader):
    solution = SolutionFactory(clusters=[application.cluster], status="under_review")
    client.force_login(leader)
    response = _introduce(client, application, solution)
    assert "Only approved solutions" in response.content.decode()
    assert not Introduction.objects.exists()


def test_a_draft_application_cannot_be_introduced(client, city, cluster, leader):
    draft = ProjectApplicationFactory(organisation=city, cluster=cluster)
    solution = ApprovedSolutionFactory(clusters=[cluster])
    client.force_login(leader)
    response = client.post(reverse("solutions:introduce", args=[solution.pk]), {"application": draft.pk})
    assert response.status_code == 404
    assert not Introduction.objects.exists()


# --- The leader page --------------------------------------------------------------------------------------


def test_leader_page_shows_newest_submissions_with_matches_and_introduce_buttons(client, application, leader, cluster):
    solution = ApprovedSolutionFactory(clusters=[cluster], **LIGHTING)
    pending = SolutionFactory(clusters=[cluster], status="submitted", name="New parking sensor")
    SolutionFactory(clusters=[cluster], name="Draft nobody sees")
    client.force_login(leader)
    html = client.get(reverse("clusters:lead")).content.decode()
    assert application.title in html
    assert solution.name in html and reverse("solutions:introduce", args=[solution.pk]) in html
    assert pending.name in html and "Draft nobody sees" not in html


def test_each_introduce_button_posts_the_pages_one_form_to_its_solution(client, application, leader, cluster):
    first = ApprovedSolutionFactory(clusters=[cluster], name="Smart lighting")
    second = ApprovedSolutionFactory(clusters=[cluster], name="Parking sensors")
    client.force_login(leader)
    html = client.get(reverse("clusters:lead")).content.decode()
    assert html.count('<form method="post" id="introduce-form">') == 1
    for solution in (first, second):
        assert (
            f'form="introduce-form" formaction="{reverse("solutions:introduce", args=[solution.pk])}" '
            f'name="application" value="{application.pk}"'
        ) in html


def test_leader_page_shows_a_new_submission_at_once(client, leader, cluster, django_capture_on_commit_callbacks):
    client.force_login(leader)
    client.get(reverse("clusters:lead"))
    with django_capture_on_commit_callbacks(execute=True):
        submitted = SubmittedApplicationFactory(cluster=cluster, title="Flood sensors for the river")
    assert submitted.title in client.get(reverse("clusters:lead")).content.decode()


def test_leader_page_shows_an_introduction_at_once(
    client, application, leader, cluster, django_capture_on_commit_callbacks
):
    solution = ApprovedSolutionFactory(clusters=[cluster], **LIGHTING)
    client.force_login(leader)
    assert "Introduced on" not in client.get(reverse("clusters:lead")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _introduce(client, application, solution)
    assert "Introduced on" in client.get(reverse("clusters:lead")).content.decode()


def test_leader_page_shows_a_newly_approved_solution_at_once(
    client, application, leader, cluster, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    assert LIGHTING["name"] not in client.get(reverse("clusters:lead")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ApprovedSolutionFactory(clusters=[cluster], **LIGHTING)
    assert LIGHTING["name"] in client.get(reverse("clusters:lead")).content.decode()


def test_leader_pages_newest_submissions_follow_the_language(client, application, leader):
    client.force_login(leader)
    client.get(reverse("clusters:lead"))
    with translation.override("ko"):
        korean = reverse("clusters:lead")
    assert "최근 제출물" in client.get(korean).content.decode()


def test_leader_page_marks_introductions_already_made(client, application, leader, cluster):
    solution = ApprovedSolutionFactory(clusters=[cluster])
    Introduction.objects.create(application=application, solution=solution, introduced_by=leader)
    client.force_login(leader)
    html = client.get(reverse("clusters:lead")).content.decode()
    assert "Introduced on" in html
    assert reverse("solutions:introduce", args=[solution.pk]) not in html


@pytest.mark.parametrize("size", [1, 8])
def test_leader_page_queries_stay_constant_with_submissions_and_matches(
    client, django_assert_num_queries, leader, size
):
    for _ in range(size):
        cluster = ClusterFactory(leaders=[leader])
        for application in SubmittedApplicationFactory.create_batch(size, cluster=cluster):
            solution = ApprovedSolutionFactory(clusters=[cluster])
            Introduction.objects.create(application=application, solution=solution, introduced_by=leader)
        SolutionFactory.create_batch(size, clusters=[cluster], status="submitted")
    client.force_login(leader)
    # user (with their organisation), led clusters, pending requests, newest members, newest applications with their
    # texts, newest solutions, then for the matches: ranked, the matched solutions, the introductions made
    with django_assert_num_queries(9):
        response = client.get(reverse("clusters:lead"))
    assert response.status_code == 200
    # The matches are kept (core/caches.py, "matches"): the rest is read again, nothing per person is kept.
    with django_assert_num_queries(6):
        response = client.get(reverse("clusters:lead"))
    assert response.status_code == 200


def test_introducing_never_redirects_to_another_site(client, application, leader):
    solution = ApprovedSolutionFactory(clusters=[application.cluster])
    client.force_login(leader)
    response = client.post(
        reverse("solutions:introduce", args=[solution.pk]),
        {"application": application.pk, "next": "https://evil.example/"},
    )
    assert response.url == application.get_absolute_url()


def test_when_the_registrant_has_left_the_company_an_administrator_is_introduced(
    client, application, leader, company, django_capture_on_commit_callbacks
):
    from tests.factories import OrganisationMembershipFactory

    gone = UserFactory(is_active=False)
    admin = OrganisationMembershipFactory(organisation=company, role="admin").user
    solution = ApprovedSolutionFactory(organisation=company, created_by=gone, clusters=[application.cluster])
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        _introduce(client, application, solution)
    to_company = [m for m in mail.outbox if m.to == [admin.email]]
    assert len(to_company) == 1 and application.title in to_company[0].body
    to_city = next(m for m in mail.outbox if m.to == [application.contact_email])
    assert admin.email in to_city.body and gone.email not in to_city.body


def test_match_lists_escape_the_solutions_and_providers_names(client, application, leader, cluster, official):
    solution = ApprovedSolutionFactory(clusters=[cluster], name="<i>Lamp</i> & co")
    solution.organisation.name = "<b>Sensors & Sons</b>"
    solution.organisation.save()
    client.force_login(leader)
    html = client.get(reverse("clusters:lead")).content.decode()
    assert "&lt;i&gt;Lamp&lt;/i&gt; &amp; co" in html and "<i>Lamp" not in html
    assert '<span class="visually-hidden"> the city to &lt;b&gt;Sensors &amp; Sons&lt;/b&gt;</span>' in html
    assert "<b>Sensors" not in html
    Introduction.objects.create(application=application, solution=solution, introduced_by=leader)
    client.force_login(official)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Sensors &amp; Sons&lt;/b&gt;" in html and "<b>Sensors" not in html
