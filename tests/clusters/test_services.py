"""Join requests, decisions, leaving and theme suggestions: what the database holds and who is e-mailed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters import services
from clusters.models import Cluster, ClusterEmailPreference, ClusterMembership, ThemeSuggestion
from notifications.models import OutboundEmail
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    OrganisationMembershipFactory,
    ThemeSuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    return UserFactory(full_name="Javier Ortega")


@pytest.fixture
def cluster(leader):
    return ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and deliver the e-mails it queued, as happens when its transaction commits."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def _request(send, cluster, admin, motivation="Our open data portal is an ongoing project."):
    return send(
        services.cluster_membership_request,
        cluster=cluster,
        organisation=admin.organisation,
        by=admin,
        motivation=motivation,
    )


def test_organisation_admin_asks_to_join_and_the_leaders_are_emailed(send, cluster, leader, org_admin, organisation):
    request = _request(send, cluster, org_admin)

    assert (request.status, request.organisation, request.requested_by) == ("pending", organisation, org_admin)
    assert [message.to for message in mail.outbox] == [[leader.email]]
    assert organisation.name in mail.outbox[0].subject
    assert reverse("clusters:lead") in mail.outbox[0].body


def test_every_leader_is_emailed_once(send, cluster, org_admin):
    second_leader = UserFactory()
    cluster.leaders.add(second_leader)

    _request(send, cluster, org_admin)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in cluster.leaders.all())


def test_each_leader_is_emailed_as_they_chose_and_the_choices_are_read_at_once(send, cluster, leader, org_admin):
    # Three leaders: the default (an e-mail now), one who takes the daily digest, one who wants no e-mail.
    digest_reader, silent = UserFactory(), UserFactory()
    cluster.leaders.add(digest_reader, silent)
    ClusterEmailPreference.objects.create(user=digest_reader, cluster=cluster, frequency="daily")
    ClusterEmailPreference.objects.create(user=silent, cluster=cluster, frequency="off")

    with CaptureQueriesContext(connection) as queries:
        _request(send, cluster, org_admin)

    assert [message.to for message in mail.outbox] == [[leader.email]]
    held = OutboundEmail.objects.get(status=OutboundEmail.Status.HELD)
    assert (held.recipient_user, held.topic) == (digest_reader, "Smart Governance")
    assert not OutboundEmail.objects.filter(recipient_user=silent).exists()
    choices_read = [q["sql"] for q in queries if "notifications_clusteremailpreference" in q["sql"]]
    assert len(choices_read) == 1


def test_a_cluster_without_leaders_emails_the_secretariat(send, settings, org_admin):
    cluster = ClusterFactory(status="forming")

    _request(send, cluster, org_admin)

    assert [message.to for message in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]
    assert reverse("admin:clusters_clustermembership_changelist") in mail.outbox[0].body


def test_an_organisation_contact_cannot_ask_to_join_for_it(send, cluster, org_contact):
    with pytest.raises(PermissionDenied):
        _request(send, cluster, org_contact)

    assert not ClusterMembership.objects.exists()


def test_a_closed_cluster_takes_no_requests(send, org_admin):
    with pytest.raises(ValidationError, match="closed"):
        _request(send, ClusterFactory(status="closed"), org_admin)


def test_a_blank_motivation_is_refused(send, cluster, org_admin):
    with pytest.raises(ValidationError, match="why your organisation wants to join"):
        _request(send, cluster, org_admin, motivation="   ")


def test_a_second_pending_request_is_refused_with_a_clear_message(send, cluster, org_admin, organisation):
    _request(send, cluster, org_admin)
    colleague = OrganisationMembershipFactory(organisation=organisation, role="admin").user

    with pytest.raises(ValidationError) as error:
        _request(send, cluster, colleague)

    assert f"{organisation.name} has already asked to join Smart Governance" in error.value.messages[0]
    assert ClusterMembership.objects.count() == 1


def test_a_member_organisation_cannot_ask_again(send, cluster, org_admin, organisation):
    ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="active")

    with pytest.raises(ValidationError, match="already a member"):
        _request(send, cluster, org_admin)


def test_a_declined_organisation_may_ask_again(send, cluster, leader, org_admin):
    first = _request(send, cluster, org_admin)
    send(services.cluster_membership_decline, membership=first, by=leader, note="Please name a project.")

    again = _request(send, cluster, org_admin, motivation="Our participatory budgeting pilot, completed in 2017.")

    assert again.status == "pending"
    assert ClusterMembership.objects.filter(cluster=cluster).count() == 2


def test_leader_approves_and_the_requester_is_emailed(send, cluster, leader, org_admin):
    request = _request(send, cluster, org_admin)
    mail.outbox.clear()

    send(services.cluster_membership_approve, membership=request, by=leader, note="Welcome!")

    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("active", leader, "Welcome!")
    assert request.decided_at is not None
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert "is now a member of Smart Governance" in mail.outbox[0].subject
    assert "Welcome!" in mail.outbox[0].body


def test_leader_declines_with_a_note_and_the_requester_is_emailed(send, cluster, leader, org_admin):
    request = _request(send, cluster, org_admin)
    mail.outbox.clear()

    send(services.cluster_membership_decline, membership=request, by=leader, note="Please name a project.")

    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("declined", leader)
    assert [message.to for message in mail.outbox] == [[org_admin.email]]
    assert "Please name a project." in mail.outbox[0].body


def test_staff_can_decide_on_any_cluster(send, cluster, org_admin, staff_user):
    request = _request(send, cluster, org_admin)

    send(services.cluster_membership_approve, membership=request, by=staff_user)

    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("active", staff_user)


def test_a_leader_of_another_cluster_cannot_decide(send, cluster, org_admin):
    request = _request(send, cluster, org_admin)
    other_leader = UserFactory()
    ClusterFactory(leaders=[other_leader])

    with pytest.raises(PermissionDenied):
        send(services.cluster_membership_approve, membership=request, by=other_leader)

    request.refresh_from_db()
    assert request.status == "pending"


def test_the_requesting_organisation_cannot_approve_itself(send, cluster, org_admin):
    request = _request(send, cluster, org_admin)

    with pytest.raises(PermissionDenied):
        send(services.cluster_membership_approve, membership=request, by=org_admin)


def test_a_request_is_decided_only_once(send, cluster, leader, org_admin):
    request = _request(send, cluster, org_admin)
    send(services.cluster_membership_approve, membership=request, by=leader)

    with pytest.raises(ValidationError, match="already been decided"):
        send(services.cluster_membership_decline, membership=request, by=leader)


def test_when_the_requester_is_gone_the_organisation_admins_hear_the_decision(send, cluster, leader, organisation):
    admin = OrganisationMembershipFactory(organisation=organisation, role="admin").user
    request = ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="pending", requested_by=None)

    send(services.cluster_membership_approve, membership=request, by=leader)

    assert [message.to for message in mail.outbox] == [[admin.email]]


def test_an_admin_takes_the_organisation_out_of_a_cluster(send, cluster, org_admin, organisation):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation)

    send(services.cluster_membership_leave, membership=membership, by=org_admin)

    membership.refresh_from_db()
    assert (membership.status, membership.left_by) == ("left", org_admin)
    assert membership.left_at is not None


def test_an_organisation_that_left_may_ask_again(send, cluster, org_admin, organisation):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation)
    send(services.cluster_membership_leave, membership=membership, by=org_admin)

    assert _request(send, cluster, org_admin).status == "pending"


def test_a_contact_cannot_take_the_organisation_out(send, cluster, org_contact, organisation):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation)

    with pytest.raises(PermissionDenied):
        send(services.cluster_membership_leave, membership=membership, by=org_contact)


def test_a_theme_suggestion_is_saved_and_the_secretariat_is_emailed(send, settings, user):
    suggestion = send(
        services.theme_suggestion_create,
        by=user,
        title="Urban Resilience",
        rationale="Floods and heat waves.",
        participants="Coastal cities.",
    )

    assert (suggestion.status, suggestion.suggested_by) == ("new", user)
    assert [message.to for message in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]
    assert "Urban Resilience" in mail.outbox[0].subject


def test_staff_turn_a_suggestion_into_a_forming_cluster_and_the_suggester_is_emailed(send, staff_user):
    suggestion = ThemeSuggestionFactory(title="Urban Resilience")

    cluster = send(services.theme_suggestion_to_cluster, suggestion=suggestion, by=staff_user)

    suggestion.refresh_from_db()
    assert (cluster.kind, cluster.status, cluster.name, cluster.slug) == (
        Cluster.Kind.THEMATIC,
        Cluster.Status.FORMING,
        "Urban Resilience",
        "urban-resilience",
    )
    assert (suggestion.status, suggestion.cluster, suggestion.decided_by) == ("accepted", cluster, staff_user)
    assert [message.to for message in mail.outbox] == [[suggestion.suggested_by.email]]
    assert cluster.get_absolute_url() in mail.outbox[0].body


def test_a_suggestion_named_like_an_existing_cluster_gets_its_own_address(send, staff_user):
    ClusterFactory(slug="urban-resilience")

    cluster = send(
        services.theme_suggestion_to_cluster, suggestion=ThemeSuggestionFactory(title="Urban Resilience"), by=staff_user
    )

    assert cluster.slug == "urban-resilience-2"


def test_a_suggestion_named_like_a_portal_page_gets_another_address(send, staff_user):
    cluster = send(services.theme_suggestion_to_cluster, suggestion=ThemeSuggestionFactory(title="Lead"), by=staff_user)

    assert cluster.slug == "lead-2"


def test_only_staff_turn_suggestions_into_clusters(send, user):
    with pytest.raises(PermissionDenied):
        send(services.theme_suggestion_to_cluster, suggestion=ThemeSuggestionFactory(), by=user)

    assert not Cluster.objects.exists()


def test_a_suggestion_becomes_a_cluster_only_once(send, staff_user):
    suggestion = ThemeSuggestionFactory()
    send(services.theme_suggestion_to_cluster, suggestion=suggestion, by=staff_user)

    with pytest.raises(ValidationError, match="already been decided"):
        send(services.theme_suggestion_to_cluster, suggestion=suggestion, by=staff_user)

    assert Cluster.objects.count() == 1


def test_staff_decline_a_suggestion_and_the_suggester_is_emailed(send, staff_user):
    suggestion = ThemeSuggestionFactory()

    send(services.theme_suggestion_decline, suggestion=suggestion, by=staff_user, note="Smart Governance covers it.")

    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.DECLINED
    assert "Smart Governance covers it." in mail.outbox[0].body
