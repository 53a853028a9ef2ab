"""Every change to submissions, clusters, memberships, events and organisations is kept with who made it."""

import pytest
from django.urls import reverse

from applications.workflow import submission_transition
from tests.factories import ClusterFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_change_made_in_admin_is_recorded_with_its_author(admin_client, staff_user):
    cluster = ClusterFactory(name="Smart Governance", summary="Old summary")
    url = reverse("admin:clusters_cluster_change", args=[cluster.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "leaders"}
    data.update(
        # The admin has one summary field per language (django-modeltranslation); the history keeps English.
        {"summary_en": "Cities govern with open data.", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}
    )

    admin_client.post(url, data)

    latest = cluster.change_history.first()
    assert (latest.summary, latest.history_user) == ("Cities govern with open data.", staff_user)
    history_page = admin_client.get(reverse("admin:clusters_cluster_history", args=[cluster.pk])).content.decode()
    assert "Cities govern with open data." in history_page


def test_a_review_transition_is_in_the_change_history_too(staff_user):
    application = SubmittedApplicationFactory()

    submission_transition(application, "start_review", by=staff_user)

    assert [record.status for record in application.change_history.all()] == ["under_review", "submitted"]


def test_history_cannot_be_used_to_restore_an_old_version(admin_client, staff_user):
    application = SubmittedApplicationFactory()
    submission_transition(application, "start_review", by=staff_user)
    old = application.change_history.last()
    url = reverse("admin:applications_projectapplication_simple_history", args=[application.pk, old.history_id])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"title": "Restored"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "under_review"
