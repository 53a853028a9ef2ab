"""A person downloads everything the portal holds about them and can delete their account."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import ApplicationHistory, ProjectApplication
from applications.workflow import Action, submission_transition
from notifications.models import OutboundEmail
from tests.factories import TEST_PASSWORD, ClusterFactory, OrganisationMembershipFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return OrganisationMembershipFactory(organisation__kind="city", role="admin").user


def test_the_download_holds_the_account_and_what_the_person_did(client, official):
    application = ProjectApplicationFactory(
        organisation=official.organisation, created_by=official, cluster=ClusterFactory()
    )
    submission_transition(application, Action.SUBMIT, by=official)
    client.force_login(official)
    response = client.get(reverse("accounts:data_download"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == official.email
    assert "password" not in data["account"]
    assert data["applications.ProjectApplication"]["created_by"][0]["title"] == application.title
    assert data["applications.ApplicationHistory"]["actor"][0]["action"] == "submit"
    assert data["accounts.OrganisationMembership"]["user"][0]["role"] == "admin"


def test_nobody_downloads_someone_else_s_data(client):
    assert client.get(reverse("accounts:data_download")).status_code == 302


def test_deleting_needs_the_password_and_keeps_the_organisation_s_submissions(client, official):
    application = ProjectApplicationFactory(
        organisation=official.organisation, created_by=official, cluster=ClusterFactory()
    )
    submission_transition(application, Action.SUBMIT, by=official)
    client.force_login(official)
    response = client.post(reverse("accounts:account_delete"), {"password": "wrong"})
    assert response.status_code == 400 and "That is not your password. Nothing was deleted." in response.text
    assert User.objects.filter(pk=official.pk).exists()

    response = client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD}, follow=True)
    assert "Your account has been deleted." in response.text
    assert not User.objects.filter(pk=official.pk).exists()
    application = ProjectApplication.objects.get()
    assert application.created_by is None and application.status == "submitted"
    assert ApplicationHistory.objects.get().actor is None
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out


def test_the_only_administrator_leaving_hands_the_organisation_to_the_first_member(
    client, official, django_capture_on_commit_callbacks, mailoutbox
):
    organisation = official.organisation
    first = OrganisationMembershipFactory(organisation=organisation, requested_at=timezone.now() - timedelta(days=9))
    later = OrganisationMembershipFactory(organisation=organisation, requested_at=timezone.now() - timedelta(days=2))
    client.force_login(official)
    page = client.get(reverse("accounts:account_delete")).text
    assert f"{first.user.full_name}, who" in page and "becomes its administrator" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})
    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.role, later.role) == ("admin", "contact")
    [message] = mailoutbox
    assert message.to == [first.user.email] and organisation.name in message.subject


def test_an_administrator_with_a_fellow_administrator_hands_nothing_over(client, official):
    fellow = OrganisationMembershipFactory(organisation=official.organisation, role="admin")
    colleague = OrganisationMembershipFactory(organisation=official.organisation)
    client.force_login(official)
    assert "becomes its administrator" not in client.get(reverse("accounts:account_delete")).text
    client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})
    colleague.refresh_from_db()
    assert colleague.role == "contact" and fellow.user.is_active
    assert not OutboundEmail.objects.filter(template="organisation_admin_handed_over").exists()
