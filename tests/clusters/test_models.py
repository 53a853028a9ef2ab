"""The rules the cluster models enforce by themselves: the membership workflow and the database constraint."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusters.models import Cluster, ClusterMembership, ThemeSuggestion
from tests.factories import ClusterFactory, ClusterMembershipFactory, ThemeSuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_approving_a_request_records_who_when_and_the_note():
    request = ClusterMembershipFactory(status="pending", decided_at=None)
    leader = UserFactory()

    request.move_to(ClusterMembership.Status.ACTIVE, by=leader, note="Welcome aboard")

    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("active", leader, "Welcome aboard")
    assert request.decided_at is not None


def test_a_decided_request_cannot_be_decided_again():
    declined = ClusterMembershipFactory(status="declined")

    with pytest.raises(ValidationError, match="already been decided"):
        declined.move_to(ClusterMembership.Status.ACTIVE, by=UserFactory())


def test_leaving_records_who_and_when_and_keeps_the_decision():
    membership = ClusterMembershipFactory(status="active", decision_note="Approved at the workshop")
    admin = UserFactory()

    membership.move_to(ClusterMembership.Status.LEFT, by=admin)

    membership.refresh_from_db()
    assert (membership.status, membership.left_by, membership.decision_note) == (
        "left",
        admin,
        "Approved at the workshop",
    )


def test_a_pending_request_cannot_be_left():
    request = ClusterMembershipFactory(status="pending")

    with pytest.raises(ValidationError):
        request.move_to(ClusterMembership.Status.LEFT, by=UserFactory())


def test_database_refuses_a_second_pending_request_for_the_same_cluster_and_organisation():
    first = ClusterMembershipFactory(status="pending")

    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMembershipFactory(cluster=first.cluster, organisation=first.organisation, status="pending")


def test_database_refuses_a_request_from_an_organisation_that_is_already_a_member():
    member = ClusterMembershipFactory(status="active")

    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMembershipFactory(cluster=member.cluster, organisation=member.organisation, status="pending")


def test_a_declined_organisation_may_have_a_new_pending_request():
    declined = ClusterMembershipFactory(status="declined")

    again = ClusterMembershipFactory(cluster=declined.cluster, organisation=declined.organisation, status="pending")

    assert again.pk != declined.pk
    assert ClusterMembership.objects.filter(cluster=declined.cluster).count() == 2


def test_only_action_clusters_belong_to_a_supercluster():
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER)
    thematic = ClusterFactory.build(kind=Cluster.Kind.THEMATIC, supercluster=supercluster)

    with pytest.raises(ValidationError) as error:
        thematic.full_clean()

    assert "supercluster" in error.value.message_dict


def test_an_action_cluster_can_belong_to_a_supercluster():
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER)

    ClusterFactory.build(kind=Cluster.Kind.ACTION, supercluster=supercluster).full_clean()


@pytest.mark.parametrize("slug", ["lead", "suggest"])
def test_cluster_slugs_that_are_portal_pages_are_refused(slug):
    with pytest.raises(ValidationError) as error:
        ClusterFactory.build(slug=slug).full_clean()

    assert "slug" in error.value.message_dict


def test_open_clusters_exclude_closed_ones():
    ClusterFactory(status="forming")
    ClusterFactory(status="active")
    ClusterFactory(status="closed")

    assert sorted(Cluster.objects.open().values_list("status", flat=True)) == ["active", "forming"]


def test_a_theme_suggestion_is_decided_once():
    suggestion = ThemeSuggestionFactory()
    staff = UserFactory(is_staff=True)
    suggestion.decide(ThemeSuggestion.Status.DECLINED, by=staff, note="Covered by Smart Governance")

    with pytest.raises(ValidationError, match="already been decided"):
        suggestion.decide(ThemeSuggestion.Status.ACCEPTED, by=staff)
