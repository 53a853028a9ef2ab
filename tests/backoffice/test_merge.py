"""Merging duplicate organisations: everything moves to the one kept, or nothing changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Organisation
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_organisation_changelist"


@pytest.fixture
def keep(db):
    return OrganisationFactory(name="Seoul Metropolitan Government", country="KR")


@pytest.fixture
def duplicate(db):
    return OrganisationFactory(name="Seoul City", country="KR")


def test_merge_page_asks_which_organisation_to_keep(admin_client, keep, duplicate):
    response = admin_client.post(reverse(CHANGELIST), {"action": "merge", "_selected_action": [keep.pk, duplicate.pk]})

    html = response.content.decode()
    assert "Which organisation is kept?" in html
    assert f'id="survivor-{keep.pk}"' in html
    assert f'id="survivor-{duplicate.pk}"' in html


def test_merge_moves_people_memberships_applications_and_registrations(admin_client, keep, duplicate):
    person = OrganisationMembershipFactory(organisation=duplicate, status="active").user
    ClusterMembershipFactory(organisation=duplicate, cluster=ClusterFactory(name="Smart Governance"))
    application = ProjectApplicationFactory(organisation=duplicate)
    registration = RegistrationFactory(organisation=duplicate)

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "merge", "_selected_action": [keep.pk, duplicate.pk], "apply": "1", "survivor": keep.pk},
        follow=True,
    )

    assert f"Merged into {keep.name}" in response.content.decode()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert person.organisation == keep
    assert keep.cluster_memberships.get().cluster.name == "Smart Governance"
    application.refresh_from_db(), registration.refresh_from_db()
    assert (application.organisation, registration.organisation) == (keep, keep)


def test_merge_shows_at_once_on_the_leader_page(
    staff_user, client, keep, duplicate, django_capture_on_commit_callbacks
):
    leader = UserFactory()
    ClusterMembershipFactory(organisation=duplicate, cluster=ClusterFactory(leaders=[leader]))
    client.force_login(leader)
    assert "Seoul City" in client.get(reverse("clusters:lead")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_merge(survivor=keep, duplicates=[duplicate], by=staff_user)

    html = client.get(reverse("clusters:lead")).content.decode()
    assert "Seoul Metropolitan Government" in html and "Seoul City" not in html


def test_merge_is_refused_when_both_belong_to_the_same_cluster(admin_client, keep, duplicate):
    cluster = ClusterFactory(name="Smart Governance")
    ClusterMembershipFactory(organisation=keep, cluster=cluster, status="active")
    ClusterMembershipFactory(organisation=duplicate, cluster=cluster, status="pending")
    application = ProjectApplicationFactory(organisation=duplicate)

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "merge", "_selected_action": [keep.pk, duplicate.pk], "apply": "1", "survivor": keep.pk},
    )

    html = response.content.decode()
    assert "cannot be merged yet" in html and "Smart Governance" in html
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    application.refresh_from_db()
    assert application.organisation == duplicate


def test_merge_without_a_choice_asks_again(admin_client, keep, duplicate):
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "merge", "_selected_action": [keep.pk, duplicate.pk], "apply": "1"}
    )

    assert "Choose the organisation to keep." in response.content.decode()
    assert Organisation.objects.filter(pk__in=[keep.pk, duplicate.pk]).count() == 2


def test_merge_needs_two_organisations(admin_client, keep):
    response = admin_client.post(reverse(CHANGELIST), {"action": "merge", "_selected_action": [keep.pk]}, follow=True)

    assert "Select at least two organisations to merge." in response.content.decode()


def test_only_staff_merge(keep, duplicate, user):
    with pytest.raises(services.PermissionDenied):
        services.organisation_merge(survivor=keep, duplicates=[duplicate], by=user)


def test_merging_an_organisation_into_itself_is_refused(keep, staff_user):
    with pytest.raises(ValidationError):
        services.organisation_merge(survivor=keep, duplicates=[keep], by=staff_user)
