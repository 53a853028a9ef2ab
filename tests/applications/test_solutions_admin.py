"""The secretariat reviews solutions in the back office through the same workflow as applications."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Introduction
from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory, SolutionFactory
from tests.factories import SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize(
    ("url_name", "filter_query"),
    [
        ("admin:applications_solutionregistration_changelist", "?status__exact=accepted"),
        ("admin:applications_introduction_changelist", "?application__cluster__id__exact=1"),
    ],
)
def test_changelists_load_with_search_and_filters(admin_client, url_name, filter_query, cluster, leader):
    solution = ApprovedSolutionFactory(clusters=[cluster], name="Leak finder")
    Introduction.objects.create(application=SubmittedApplicationFactory(), solution=solution, introduced_by=leader)
    for query in ("", "?q=leak", filter_query):
        response = admin_client.get(reverse(url_name) + query)
        assert response.status_code == 200
        assert "Leak finder" in response.content.decode() or query == filter_query


def test_change_page_shows_deployments_and_history(admin_client, cluster):
    solution = ApprovedSolutionFactory(clusters=[cluster])
    DeploymentFactory(solution=solution, city="Valencia")
    html = admin_client.get(reverse("admin:applications_solutionregistration_change", args=[solution.pk])).content
    assert b"Valencia" in html


def test_admin_actions_review_and_accept_through_the_workflow(
    admin_client, solution, provider, staff_user, django_capture_on_commit_callbacks
):
    solution.status = "submitted"
    solution.save(update_fields=["status"])
    url = reverse("admin:applications_solutionregistration_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "start_review", "_selected_action": [solution.pk]})
        admin_client.post(url, {"action": "accept", "_selected_action": [solution.pk]})
    solution.refresh_from_db()
    assert solution.status == "accepted"
    assert [entry.action for entry in solution.history.order_by("at", "pk")] == ["start_review", "accept"]
    assert all(message.to == [provider.email] for message in mail.outbox) and len(mail.outbox) == 2


def test_declining_in_the_admin_asks_for_a_note_first(admin_client, solution):
    solution.status = "under_review"
    solution.save(update_fields=["status"])
    url = reverse("admin:applications_solutionregistration_changelist")
    response = admin_client.post(url, {"action": "decline", "_selected_action": [solution.pk]})
    assert response.status_code == 200 and b"note" in response.content
    admin_client.post(
        url, {"action": "decline", "_selected_action": [solution.pk], "note": "Out of scope.", "apply": "1"}
    )
    solution.refresh_from_db()
    assert solution.status == "declined"


def test_a_draft_cannot_be_accepted_from_the_admin(admin_client, cluster):
    draft = SolutionFactory(clusters=[cluster])
    response = admin_client.post(
        reverse("admin:applications_solutionregistration_changelist"),
        {"action": "accept", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "cannot be done now" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
