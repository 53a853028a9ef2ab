"""The cluster catalogue, cluster pages, joining and leaving, the leader page and theme suggestions."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Cluster, ClusterMembership, ThemeSuggestion
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The catalogue -------------------------------------------------------------------------------------


def test_catalogue_groups_clusters_by_kind_and_status_with_counts_and_leaders(client):
    leader = UserFactory(full_name="Javier Ortega")
    governance = ClusterFactory(name="Smart Governance", leaders=[leader])
    ClusterMembershipFactory.create_batch(2, cluster=governance)
    ClusterMembershipFactory(cluster=governance, status="pending")
    ClusterFactory(name="Smart Mobility", status="forming")
    supercluster = ClusterFactory(name="Transportation SuperCluster", kind=Cluster.Kind.SUPER)
    ClusterFactory(name="Connected Corridors", kind=Cluster.Kind.ACTION, supercluster=supercluster)

    response = client.get(reverse("clusters:list"))

    html = response.content.decode()
    assert [cluster.name for cluster in response.context["page_obj"]] == [
        "Smart Governance",
        "Smart Mobility",
        "Transportation SuperCluster",
        "Connected Corridors",
    ]
    assert html.index('id="kind-thematic"') < html.index('id="kind-super"') < html.index('id="kind-action"')
    assert html.index("Smart Governance") < html.index("launching soon</h3>") < html.index("Smart Mobility")
    assert "2 member organisations" in html
    assert "Led by Javier Ortega" in html
    assert "Leader to be announced" in html
    assert "Part of Transportation SuperCluster" in html


def test_catalogue_shows_headline_figures_counted_from_the_database(client):
    OrganisationFactory.create_batch(3, kind="city")
    OrganisationFactory.create_batch(2, kind="company")
    OrganisationFactory(kind="nonprofit")
    OrganisationFactory(kind="academia")
    ClusterFactory.create_batch(2)
    ClusterFactory(status="closed")
    ClusterFactory.create_batch(3, kind=Cluster.Kind.ACTION)

    figures = client.get(reverse("clusters:list")).context["figures"]

    assert (figures["cities"], figures["companies"], figures["other_organisations"]) == (3, 2, 2)
    assert (figures["clusters"], figures["action_clusters"]) == (2, 3)


def test_catalogue_filters_by_kind_and_status(client):
    ClusterFactory(name="Smart Governance")
    ClusterFactory(name="Connected Corridors", kind=Cluster.Kind.ACTION)
    ClusterFactory(name="Open Parking Data", kind=Cluster.Kind.ACTION, status="forming")

    html = _page(client, reverse("clusters:list") + "?kind=action&status=forming")

    assert "Open Parking Data" in html
    assert "Connected Corridors" not in html
    assert "Smart Governance" not in html


def test_catalogue_ignores_a_filter_value_it_does_not_know(client):
    ClusterFactory(name="Smart Governance")

    assert "Smart Governance" in _page(client, reverse("clusters:list") + "?kind=nonsense")


def test_catalogue_is_paginated(client):
    ClusterFactory.create_batch(30)

    response = client.get(reverse("clusters:list") + "?page=2")

    assert len(response.context["page_obj"]) == 6
    assert "Page 2 of 2" in response.content.decode()


def _make_catalogue(size: int) -> None:
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER)
    for number in range(size):
        kind = Cluster.Kind.ACTION if number % 2 else Cluster.Kind.THEMATIC
        cluster = ClusterFactory(
            kind=kind,
            supercluster=supercluster if kind == Cluster.Kind.ACTION else None,
            status="forming" if number % 3 else "active",
            leaders=UserFactory.create_batch(2),
        )
        ClusterMembershipFactory.create_batch(2, cluster=cluster)


@pytest.mark.parametrize("size", [1, 100])
def test_catalogue_queries_stay_constant_as_clusters_grow(client, django_assert_num_queries, size):
    _make_catalogue(size)

    # figures (organisations, clusters), page count, page of clusters, their leaders
    with django_assert_num_queries(5):
        client.get(reverse("clusters:list"))


@pytest.mark.parametrize("size", [1, 100])
def test_catalogue_queries_stay_constant_for_a_signed_in_leader(client, django_assert_num_queries, size):
    _make_catalogue(size)
    leader = Cluster.objects.exclude(kind=Cluster.Kind.SUPER).first().leaders.first()
    client.force_login(leader)

    # + the person, with the clusters they lead and the organisation they act for; the session is cached
    with django_assert_num_queries(6):
        client.get(reverse("clusters:list"))


# --- The cluster page ----------------------------------------------------------------------------------


def test_cluster_page_shows_theme_leaders_and_members_grouped_by_kind(client):
    leader = UserFactory(full_name="Javier Ortega", job_title="Professor of Urban Informatics")
    cluster = ClusterFactory(name="Smart Governance", description="Open data portals.", leaders=[leader])
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Seoul", kind="city"))
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Quezon City", kind="city"))
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Urban Sensors", kind="company"))
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Civic Lab", kind="nonprofit"))
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="KAIST", kind="academia"))
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Waiting City"), status="pending")
    ClusterMembershipFactory(cluster=cluster, organisation=OrganisationFactory(name="Former Member"), status="left")

    response = client.get(cluster.get_absolute_url())

    html = response.content.decode()
    assert "Open data portals." in html
    assert "Javier Ortega" in html and "Professor of Urban Informatics" in html
    groups = [
        (group.label, group.total, [m.organisation.name for m in group.memberships])
        for group in response.context["member_groups"]
    ]
    assert groups == [
        ("City or local government", 2, ["Quezon City", "Seoul"]),
        ("Company", 1, ["Urban Sensors"]),
        ("Nonprofit", 1, ["Civic Lab"]),
        ("Academia", 1, ["KAIST"]),
    ]
    assert html.index("City or local government") < html.index("Quezon City") < html.index("KAIST")
    assert "Waiting City" not in html
    assert "Former Member" not in html


def test_forming_cluster_is_labelled_as_launching_soon(client):
    html = _page(client, ClusterFactory(status="forming").get_absolute_url())

    assert "Forming, launching soon" in html


def test_supercluster_page_lists_its_action_clusters(client):
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER)
    ClusterFactory(name="Connected Corridors", kind=Cluster.Kind.ACTION, supercluster=supercluster)

    assert "Connected Corridors" in _page(client, supercluster.get_absolute_url())


def test_unknown_cluster_is_404(client):
    assert client.get(reverse("clusters:detail", args=["no-such-cluster"])).status_code == 404


def test_cluster_members_are_paginated(client):
    cluster = ClusterFactory()
    ClusterMembershipFactory.create_batch(61, cluster=cluster)

    response = client.get(cluster.get_absolute_url() + "?page=2")

    assert len(response.context["page_obj"]) == 1
    assert "(61)" in response.content.decode()


@pytest.mark.parametrize("size", [1, 100])
def test_cluster_page_queries_stay_constant_as_members_grow(client, django_assert_num_queries, size):
    cluster = ClusterFactory(leaders=UserFactory.create_batch(size))
    for kind in ["city", "company", "nonprofit", "academia"]:
        ClusterMembershipFactory.create_batch(size, cluster=cluster, organisation__kind=kind)

    # cluster, its leaders, counts by kind (their sum pages the members: no COUNT), page of members, upcoming
    # events, accepted projects and approved solutions of a thematic cluster, its GCTC teams
    with django_assert_num_queries(8):
        client.get(cluster.get_absolute_url())


@pytest.mark.parametrize("size", [1, 100])
def test_cluster_page_queries_stay_constant_for_a_member_administrator(
    client, django_assert_num_queries, org_admin, organisation, size
):
    cluster = ClusterFactory(leaders=UserFactory.create_batch(size))
    ClusterMembershipFactory(cluster=cluster, organisation=organisation)
    ClusterMembershipFactory.create_batch(size, cluster=cluster)
    client.force_login(org_admin)

    # + the person (with organisation, led and member clusters), own membership, its GCTC teams (the session is
    # cached)
    with django_assert_num_queries(10):
        client.get(cluster.get_absolute_url())


def test_signed_in_people_share_the_public_column_and_each_get_their_own_panel(
    client, django_assert_num_queries, org_admin, organisation
):
    """The public column of a cluster's page is built once for everyone signed in (core/caches.py,
    "cluster-page-parts"); the membership panel and the discussion link are each reader's own."""
    cluster = ClusterFactory(discussion_url="https://chat.example.org/private-room")
    ClusterMembershipFactory(cluster=cluster, organisation=organisation)
    ClusterMembershipFactory(cluster=cluster, organisation__name="Daejeon Metropolitan City")
    outsider = OrganisationMembershipFactory(role="admin", organisation__name="Acme Sensors").user
    client.force_login(org_admin)
    member_page = _page(client, cluster.get_absolute_url())

    client.force_login(outsider)
    # the person (with organisation, led and member clusters), the cluster, its leaders, own membership: the
    # members, events, teams, projects and solutions come with the kept column
    with django_assert_num_queries(4):
        outsider_page = _page(client, cluster.get_absolute_url())

    for page in (member_page, outsider_page):
        assert "Daejeon Metropolitan City" in page and organisation.name in page
    assert "https://chat.example.org/private-room" in member_page
    assert "https://chat.example.org/private-room" not in outsider_page
    assert "Ask to join" in outsider_page and "Ask to join" not in member_page


def test_a_member_approved_shows_at_once_in_the_public_column(client, org_admin):
    cluster = ClusterFactory()
    client.force_login(org_admin)
    assert "Busan Metropolitan City" not in _page(client, cluster.get_absolute_url())

    request = ClusterMembershipFactory(
        cluster=cluster, organisation__name="Busan Metropolitan City", status="pending", decided_at=None
    )
    assert "Busan Metropolitan City" not in _page(client, cluster.get_absolute_url())  # a request adds no member
    request.status = ClusterMembership.Status.ACTIVE
    request.save()

    assert "Busan Metropolitan City" in _page(client, cluster.get_absolute_url())


def test_each_reader_gets_the_public_column_in_their_language_and_time_zone(client):
    cluster = ClusterFactory()
    event = EventFactory(related_clusters=[cluster], starts_at=dt.datetime(2030, 3, 5, 1, 0, tzinfo=dt.UTC))
    seoul = UserFactory(time_zone="Asia/Seoul", preferred_language="en")
    madrid = UserFactory(time_zone="Europe/Madrid", preferred_language="es")

    client.force_login(seoul)
    in_seoul = _page(client, cluster.get_absolute_url())
    client.force_login(madrid)
    in_madrid = _page(client, event.related_clusters.get().get_absolute_url().replace("/en/", "/es/"))

    assert 'datetime="2030-03-05T10:00:00+0900"' in in_seoul and "Upcoming events" in in_seoul
    assert 'datetime="2030-03-05T02:00:00+0100"' in in_madrid and "Próximos eventos" in in_madrid


@pytest.mark.parametrize("size", [1, 100])
def test_supercluster_page_queries_stay_constant_as_action_clusters_grow(client, django_assert_num_queries, size):
    supercluster = ClusterFactory(kind=Cluster.Kind.SUPER)
    for _ in range(size):
        ClusterMembershipFactory(
            cluster=ClusterFactory(kind=Cluster.Kind.ACTION, supercluster=supercluster, leaders=[UserFactory()])
        )

    # cluster, its leaders, counts by kind (no members: no page), action clusters, their leaders, upcoming events
    with django_assert_num_queries(6):
        client.get(supercluster.get_absolute_url())


# --- Asking to join, leaving ---------------------------------------------------------------------------


@pytest.fixture
def leader(db):
    return UserFactory(full_name="Javier Ortega")


@pytest.fixture
def cluster(leader):
    return ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])


def test_anonymous_visitor_is_invited_to_sign_in_to_join(client, cluster):
    assert "Sign in to ask to join" in _page(client, cluster.get_absolute_url())


def test_person_without_organisation_is_told_to_set_it_up_first(client, cluster, user):
    client.force_login(user)

    assert "Set up your organisation" in _page(client, cluster.get_absolute_url())


def test_organisation_contact_is_told_that_administrators_ask(client, cluster, org_contact):
    client.force_login(org_contact)

    html = _page(client, cluster.get_absolute_url())

    assert "administrators can ask" in html
    assert "Ask to join" not in html


def test_organisation_admin_asks_to_join(
    client, cluster, leader, org_admin, organisation, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clusters:join", args=[cluster.slug]), {"motivation": "Our open data portal."}, follow=True
        )

    request = ClusterMembership.objects.get()
    assert (request.status, request.organisation, request.motivation) == (
        "pending",
        organisation,
        "Our open data portal.",
    )
    html = response.content.decode()
    assert "Your request to join Smart Governance was sent" in html
    assert "have not decided yet" in html
    assert [message.to for message in mail.outbox] == [[leader.email]]


def test_empty_motivation_is_refused_with_a_clear_message(client, cluster, org_admin):
    client.force_login(org_admin)

    response = client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": "   "})

    assert response.status_code == 200
    assert "Please say in a sentence or two why your organisation wants to join." in response.content.decode()
    assert not ClusterMembership.objects.exists()


def test_too_long_motivation_is_refused_and_what_was_typed_is_kept(client, cluster, org_admin):
    client.force_login(org_admin)
    typed = "Our projects. " * 200

    response = client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": typed})

    html = response.content.decode()
    assert "Keep it to at most 2,000 characters; you wrote 2,799." in html
    assert typed.strip()[:200] in html
    assert not ClusterMembership.objects.exists()


def test_second_pending_request_is_refused_and_what_was_typed_is_kept(client, cluster, org_admin, organisation):
    ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="pending")
    client.force_login(org_admin)

    response = client.post(
        reverse("clusters:join", args=[cluster.slug]), {"motivation": "We also run a smart parking pilot."}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{organisation.name} has already asked to join Smart Governance" in html
    assert "We also run a smart parking pilot." in html
    assert ClusterMembership.objects.count() == 1


def test_declined_organisation_sees_the_note_and_may_ask_again(client, cluster, org_admin, organisation):
    ClusterMembershipFactory(
        cluster=cluster, organisation=organisation, status="declined", decision_note="Please name a project."
    )
    client.force_login(org_admin)

    html = _page(client, cluster.get_absolute_url())
    client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": "Our budgeting pilot."})

    assert "Please name a project." in html
    assert "You may ask again." in html
    assert ClusterMembership.objects.filter(status="pending").count() == 1


def test_closed_cluster_refuses_requests_with_an_explanation(client, org_admin):
    closed = ClusterFactory(status="closed")
    client.force_login(org_admin)

    response = client.post(reverse("clusters:join", args=[closed.slug]), {"motivation": "Please."})

    assert response.status_code == 403
    assert "closed and takes no new members" in response.content.decode()


def test_member_administrator_leaves_the_cluster(client, cluster, org_admin, organisation):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation)
    client.force_login(org_admin)

    response = client.post(reverse("clusters:leave", args=[cluster.slug]), follow=True)

    membership.refresh_from_db()
    assert (membership.status, membership.left_by) == ("left", org_admin)
    assert f"{organisation.name} has left Smart Governance" in response.content.decode()


def test_member_contact_cannot_leave_for_the_organisation(client, cluster, org_contact, organisation):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation)
    client.force_login(org_contact)

    response = client.post(reverse("clusters:leave", args=[cluster.slug]))

    assert response.status_code == 403
    assert "administrators can take it out of a cluster" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "active"


def test_leaving_a_cluster_the_organisation_is_not_in_says_so(client, cluster, org_admin):
    response = client.post(reverse("clusters:leave", args=[cluster.slug]), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))

    client.force_login(org_admin)
    response = client.post(reverse("clusters:leave", args=[cluster.slug]), follow=True)

    assert "is not a member of Smart Governance" in response.content.decode()


def test_administrator_withdraws_a_waiting_request_and_may_ask_again(client, cluster, org_admin, organisation, leader):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="pending")
    client.force_login(org_admin)
    page = _page(client, cluster.get_absolute_url())
    assert "Withdraw the request" in page

    response = client.post(reverse("clusters:withdraw", args=[cluster.slug]), follow=True)

    membership.refresh_from_db()
    assert (membership.status, membership.left_by) == ("withdrawn", org_admin)
    html = response.content.decode()
    assert f"The request of {organisation.name} to join Smart Governance is withdrawn" in html
    assert f"{organisation.name} withdrew its request on" in html
    assert 'name="motivation"' in html  # the join form is offered again
    client.force_login(leader)
    assert f"Approve {organisation.name}" not in _page(client, reverse("clusters:lead"))


def test_only_administrators_withdraw_and_a_decided_request_stays_decided(
    client, cluster, org_admin, org_contact, organisation
):
    membership = ClusterMembershipFactory(cluster=cluster, organisation=organisation, status="pending")
    client.force_login(org_contact)
    assert "Withdraw the request" not in _page(client, cluster.get_absolute_url())
    response = client.post(reverse("clusters:withdraw", args=[cluster.slug]))
    assert response.status_code == 403
    assert "administrators can withdraw its request" in response.content.decode()

    membership.status = "active"
    membership.save()
    client.force_login(org_admin)
    response = client.post(reverse("clusters:withdraw", args=[cluster.slug]), follow=True)
    assert "There is no request of your organisation waiting for Smart Governance" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "active"


def test_join_and_leave_only_accept_post(client, cluster, org_admin):
    client.force_login(org_admin)

    assert client.get(reverse("clusters:join", args=[cluster.slug])).status_code == 405
    assert client.get(reverse("clusters:leave", args=[cluster.slug])).status_code == 405
    assert client.get(reverse("clusters:withdraw", args=[cluster.slug])).status_code == 405


# --- The leader page -----------------------------------------------------------------------------------


def test_leader_page_shows_one_led_cluster_at_a_time_with_a_link_to_each_of_the_others(client, cluster, leader):
    ClusterMembershipFactory(
        cluster=cluster, organisation__name="Urban Sensors", status="pending", motivation="Dashboards for cities."
    )
    ClusterMembershipFactory(cluster=cluster, organisation__name="Seoul")
    second = ClusterFactory(name="Digital Government Platform", leaders=[leader])
    ClusterMembershipFactory(cluster=second, organisation__name="Quezon City", status="pending")
    quiet = ClusterFactory(name="Climate Adaptation", leaders=[leader])
    client.force_login(leader)

    # Without a choice, the first cluster (by name) where requests wait: not Climate Adaptation, where none do.
    html = _page(client, reverse("clusters:lead"))
    assert "Approve Quezon City" in html
    assert "Approve Urban Sensors" not in html and "Dashboards for cities." not in html
    assert f'href="{cluster.get_leader_page_url()}">Smart Governance' in html
    assert f'href="{quiet.get_leader_page_url()}">Climate Adaptation' in html
    assert f'href="{second.get_leader_page_url()}" aria-current="page">Digital Government Platform' in html

    html = _page(client, cluster.get_leader_page_url())
    assert "Dashboards for cities." in html
    assert "Approve Urban Sensors" in html and "Decline Urban Sensors" in html
    assert "Seoul" in html
    assert "Approve Quezon City" not in html
    assert "Newest submissions" in html
    assert "Nobody is waiting to join." in _page(client, quiet.get_leader_page_url())


def test_a_leader_of_one_cluster_sees_it_without_choosing(client, cluster, leader):
    ClusterMembershipFactory(cluster=cluster, organisation__name="Seoul")
    client.force_login(leader)

    html = _page(client, reverse("clusters:lead"))
    assert "Nobody is waiting to join." in html and "Seoul" in html
    assert 'aria-label="Your clusters"' not in html


def test_leader_page_shows_the_five_oldest_requests_and_the_next_after_a_decision(client, cluster, leader):
    requests = [
        ClusterMembershipFactory(cluster=cluster, organisation__name=f"Applicant {n:02}", status="pending")
        for n in range(7)
    ]
    client.force_login(leader)

    html = _page(client, reverse("clusters:lead"))
    assert "Approve Applicant 04" in html and "Approve Applicant 05" not in html
    assert "Showing the 5 oldest of 7 requests." in html

    client.post(reverse("clusters:decide", args=[requests[0].pk]), {"decision": "approve"})
    assert "Approve Applicant 05" in _page(client, reverse("clusters:lead"))


def test_see_all_requests_lists_every_request_of_that_cluster_a_page_at_a_time(client, cluster, leader):
    for n in range(27):
        ClusterMembershipFactory(cluster=cluster, organisation__name=f"Applicant {n:02}", status="pending")
    other = ClusterFactory(name="Digital Government Platform", leaders=[leader])
    ClusterMembershipFactory(cluster=other, organisation__name="Quezon City", status="pending")
    client.force_login(leader)
    see_all = f"{cluster.get_leader_page_url()}&requests=all"
    html = _page(client, cluster.get_leader_page_url())
    assert f'<a href="{cluster.get_leader_page_url()}&amp;requests=all">See all 27 requests</a>' in html

    html = _page(client, see_all)
    assert "Approve Applicant 00" in html and "Approve Applicant 24" in html and "Approve Applicant 25" not in html
    assert "Approve Quezon City" not in html
    assert "Page 1 of 2" in html
    assert f'<a href="{cluster.get_leader_page_url()}">Back to Smart Governance</a>' in html
    assert "Approve Applicant 26" in _page(client, f"{see_all}&page=2")


def test_see_all_requests_of_a_cluster_the_user_does_not_lead_is_not_found(client, cluster, leader):
    ClusterMembershipFactory(cluster=cluster, status="pending")
    somebody_elses = ClusterFactory(leaders=[UserFactory()])
    client.force_login(leader)
    assert client.get(f"{reverse('clusters:lead')}?cluster={somebody_elses.slug}").status_code == 404


@pytest.mark.parametrize("size", [1, 30])
def test_see_all_requests_queries_stay_constant(client, django_assert_num_queries, cluster, leader, size):
    ClusterMembershipFactory.create_batch(size, cluster=cluster, status="pending", requested_by=UserFactory())
    client.force_login(leader)
    # the person (with organisation), led clusters, count and page of requests, newest members, newest sent
    # applications and solutions (the session is cached)
    with django_assert_num_queries(7):
        client.get(f"{cluster.get_leader_page_url()}&requests=all")


def test_leader_page_shows_the_ten_newest_members_and_links_to_all_of_them(client, cluster, leader):
    for n in range(12):
        ClusterMembershipFactory(cluster=cluster, organisation__name=f"Member {n:02}")
    client.force_login(leader)

    html = _page(client, reverse("clusters:lead"))
    assert "Member 11" in html and "Member 01" not in html
    assert f'<a href="{cluster.get_absolute_url()}">See all 12 members</a>' in html
    assert "Member 01" in _page(client, cluster.get_absolute_url())


def test_a_member_approved_or_leaving_shows_on_the_leader_page_at_once(
    client, cluster, leader, django_capture_on_commit_callbacks
):
    request = ClusterMembershipFactory(cluster=cluster, organisation__name="Urban Sensors", status="pending")
    client.force_login(leader)

    def newest_members() -> str:
        html = _page(client, reverse("clusters:lead"))
        return re.search(rf'id="cluster-{cluster.slug}-members".*?</section>', html, re.S).group(0)

    assert "No members yet." in newest_members()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "approve"})
    assert "Urban Sensors" in newest_members()

    with django_capture_on_commit_callbacks(execute=True):
        request.refresh_from_db()
        request.delete()
    assert "Urban Sensors" not in newest_members()


def test_the_leader_page_shows_at_once_what_changed_since_it_was_last_read(
    client, cluster, leader, django_capture_on_commit_callbacks
):
    second = ClusterFactory(name="Digital Government Platform", leaders=[leader])
    client.force_login(leader)
    lead = reverse("clusters:lead")
    assert "Nobody is waiting to join." in _page(client, lead)

    with django_capture_on_commit_callbacks(execute=True):
        request = ClusterMembershipFactory(cluster=cluster, organisation__name="Urban Sensors", status="pending")
    assert "Approve Urban Sensors" in _page(client, lead)

    with django_capture_on_commit_callbacks(execute=True):
        request.organisation.name = "Urban Sensors Korea"
        request.organisation.save()
    assert "Approve Urban Sensors Korea" in _page(client, lead)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clusters:email_preference", args=[cluster.slug]), {"frequency": "daily"})
    assert re.search(rf'id="frequency-{cluster.slug}-daily" checked', _page(client, lead))

    with django_capture_on_commit_callbacks(execute=True):
        second.leaders.remove(leader)
    html = _page(client, lead)
    assert "Digital Government Platform" not in html and "Urban Sensors Korea" in html


def test_leader_approves_in_place_with_a_note(client, cluster, leader, django_capture_on_commit_callbacks):
    requester = UserFactory()
    request = ClusterMembershipFactory(
        cluster=cluster, organisation__name="Urban Sensors", status="pending", requested_by=requester
    )
    client.force_login(leader)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clusters:decide", args=[request.pk]), {"decision": "approve", "note": "Welcome!"}, follow=True
        )

    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == ("active", leader, "Welcome!")
    place = "#cluster-smart-governance-requests-messages"
    assert response.redirect_chain == [(cluster.get_leader_page_url() + place, 302)]
    assert "Urban Sensors is now a member of Smart Governance." in _placed(
        response, "cluster-smart-governance-requests"
    )
    assert [message.to for message in mail.outbox] == [[requester.email]]


def _placed(response, place: str) -> str:
    """The confirmation the page shows inside its part with id `place`, where it reopens (core/messages.py)."""
    html = response.content.decode()
    inside = html[html.index(f'id="{place}"') :]
    found = re.search(
        rf'<div id="{place}-messages" class="messages messages-placed"[^>]*>(.*?)</div>\s*</div>', inside, re.S
    )
    return found.group(1) if found else ""


def test_the_e_mail_choice_is_confirmed_in_its_own_form(client, cluster, leader):
    client.force_login(leader)

    response = client.post(
        reverse("clusters:email_preference", args=[cluster.slug]), {"frequency": "daily"}, follow=True
    )

    place = "#cluster-smart-governance-emails-messages"
    assert response.redirect_chain == [(cluster.get_leader_page_url() + place, 302)]
    placed = _placed(response, "cluster-smart-governance-emails")
    assert "You will get one daily digest about Smart Governance." in placed


def test_leader_declines_in_place(client, cluster, leader):
    request = ClusterMembershipFactory(cluster=cluster, status="pending")
    client.force_login(leader)

    client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "decline", "note": ""})

    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("declined", leader)


def test_deciding_twice_says_it_was_already_decided(client, cluster, leader):
    request = ClusterMembershipFactory(cluster=cluster, status="pending")
    client.force_login(leader)
    client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "approve"})

    response = client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "decline"}, follow=True)

    assert "This request has already been decided." in _placed(response, "cluster-smart-governance-requests")
    request.refresh_from_db()
    assert request.status == "active"


def test_a_decision_without_approve_or_decline_changes_nothing(client, cluster, leader):
    request = ClusterMembershipFactory(cluster=cluster, status="pending")
    client.force_login(leader)

    response = client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "maybe"}, follow=True)

    assert "Select a valid choice" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_too_long_note_is_refused_and_what_was_typed_is_kept(client, cluster, leader):
    request = ClusterMembershipFactory(cluster=cluster, status="pending")
    client.force_login(leader)

    typed = "Welcome to the cluster! " * 50

    response = client.post(reverse("clusters:decide", args=[request.pk]), {"decision": "approve", "note": typed})

    html = response.content.decode()
    assert "Keep it to at most 1,000 characters; you wrote 1,199." in html
    assert f'value="{typed}"' in html
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize("size", [1, 30])
def test_leader_page_queries_stay_constant(client, django_assert_num_queries, leader, size):
    for _ in range(size):
        cluster = ClusterFactory(leaders=[leader])
        ClusterMembershipFactory.create_batch(size, cluster=cluster, status="pending", requested_by=UserFactory())
        ClusterMembershipFactory.create_batch(size, cluster=cluster)
    client.force_login(leader)

    # user (with their organisation), led clusters, pending requests, newest members (the session is cached),
    # + newest sent applications and newest sent solutions of all led clusters (issue 5; no application here,
    # so no matchmaking query: tests/applications/test_solutions_matching.py counts those)
    with django_assert_num_queries(6):
        client.get(reverse("clusters:lead"))


# --- Navigation ----------------------------------------------------------------------------------------


def test_navbar_shows_clusters_to_everyone_and_the_leader_page_to_leaders_only(client, cluster, leader, staff_user):
    html = _page(client, reverse("home"))
    assert reverse("clusters:list") in html
    assert reverse("clusters:lead") not in html

    client.force_login(staff_user)
    assert reverse("clusters:lead") not in _page(client, reverse("home"))

    client.force_login(leader)
    assert "Leader page" in _page(client, reverse("home"))


def test_the_links_to_a_persons_own_pages_follow_their_organisation_and_clusters_at_once(
    client, user, django_capture_on_commit_callbacks
):
    """The navigation keeps which own pages a person gets (frontoffice/context_processors.py, own_links)."""
    client.force_login(user)

    def own_pages() -> list[str]:
        nav = re.search(r'<nav [^>]*aria-label="Your pages".*?</nav>', _page(client, reverse("home")), re.S).group(0)
        return re.findall(r'<a class="nav-link text-nowrap" href="[^"]*"[^>]*>([^<]+)</a>', nav)

    assert own_pages() == ["My events", "My organisation", "My profile"]
    with django_capture_on_commit_callbacks(execute=True):
        membership = OrganisationMembershipFactory(user=user, organisation__kind="city")
        cluster = ClusterFactory(leaders=[user])
    assert own_pages() == [
        "My applications",
        "My teams",
        "My events",
        "My organisation",
        "My profile",
        "Leader page",
        "My reviews",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        membership.organisation.kind = "company"
        membership.organisation.save()
        cluster.leaders.remove(user)
    assert own_pages() == ["My solutions", "My teams", "My events", "My organisation", "My profile"]


# --- Theme suggestions ---------------------------------------------------------------------------------


def test_signed_in_person_suggests_a_theme(client, user, settings, django_capture_on_commit_callbacks):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clusters:suggest"),
            {"title": "  Urban   Resilience ", "rationale": "Floods.", "participants": "Coastal cities."},
            follow=True,
        )

    suggestion = ThemeSuggestion.objects.get()
    assert (suggestion.title, suggestion.suggested_by, suggestion.status) == ("Urban Resilience", user, "new")
    html = response.content.decode()
    assert "The secretariat will review your suggestion" in html
    assert "Waiting for review" in html
    assert [message.to for message in mail.outbox] == [[settings.SECRETARIAT_EMAIL]]


def test_incomplete_suggestion_is_refused_and_what_was_typed_is_kept(client, user):
    client.force_login(user)

    response = client.post(
        reverse("clusters:suggest"), {"title": "Urban Resilience", "rationale": " ", "participants": ""}
    )

    html = response.content.decode()
    assert "Please say why this theme matters to cities." in html
    assert "Please say who would take part" in html
    assert 'value="Urban Resilience"' in html
    assert not ThemeSuggestion.objects.exists()


def test_anonymous_visitor_must_sign_in_to_suggest(client):
    response = client.get(reverse("clusters:suggest"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_people_see_only_their_own_suggestions(client, user):
    ThemeSuggestion.objects.create(suggested_by=UserFactory(), title="Someone else's", rationale="r", participants="p")
    ThemeSuggestion.objects.create(suggested_by=user, title="Mine", rationale="r", participants="p")
    client.force_login(user)

    html = _page(client, reverse("clusters:suggest"))

    assert "Mine" in html
    assert "Someone else" not in html


# --- Home page -----------------------------------------------------------------------------------------


def test_home_counts_action_clusters(client):
    ClusterFactory.create_batch(2, kind=Cluster.Kind.ACTION)
    ClusterFactory(kind=Cluster.Kind.ACTION, status="closed")

    response = client.get(reverse("home"))

    assert response.context["figures"]["action_clusters"] == 2
    assert "GCTC action clusters" in response.content.decode()


def test_organisation_in_two_clusters_can_be_member_of_both(client, org_admin, organisation):
    first, second = ClusterFactory.create_batch(2)
    ClusterMembershipFactory(cluster=first, organisation=organisation)
    client.force_login(org_admin)

    client.post(reverse("clusters:join", args=[second.slug]), {"motivation": "Also this theme."})

    assert ClusterMembership.objects.filter(organisation=organisation, status__in=["active", "pending"]).count() == 2


def test_admin_of_another_organisation_is_not_confused_with_a_member(client, cluster):
    ClusterMembershipFactory(cluster=cluster)
    admin = OrganisationMembershipFactory(role="admin").user
    client.force_login(admin)

    html = _page(client, cluster.get_absolute_url())

    assert "Ask to join" in html
    assert "Open the private discussion group" not in html


def test_asking_to_join_costs_the_same_few_queries_for_each_leader(client, organisation, org_admin):
    """Each leader e-mailed about a request costs its outbox row and its checks, not a query per column the e-mail
    reads (the cluster page's prefetched leaders carry only their names)."""

    def join_queries(leaders: int) -> int:
        cluster = ClusterFactory(leaders=UserFactory.create_batch(leaders))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                reverse("clusters:join", args=[cluster.slug]), {"motivation": "We share what our pilots taught us."}
            )
        assert response.status_code == 302
        return len(queries)

    client.force_login(org_admin)
    one, four = join_queries(1), join_queries(4)
    assert (four - one) / 3 <= 5  # dedup check, digest preference, savepoint, insert, release
