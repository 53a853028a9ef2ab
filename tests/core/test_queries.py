"""core.queries: each group's first rows in one query whatever the groups (first_per_group_by_id); child rows with
their parent's query (with_child_rows)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusters.models import ClusterMembership
from core.queries import first_per_group_by_id
from tests.factories import ClusterFactory, ClusterMembershipFactory

pytestmark = pytest.mark.django_db


def _newest_members(cluster_ids, limit):
    return first_per_group_by_id(
        ClusterMembership.objects.filter(status=ClusterMembership.Status.ACTIVE),
        group="cluster_id",
        ids=cluster_ids,
        order_by=["-decided_at", "-pk"],
        limit=limit,
        select_related=["organisation"],
        only=["cluster_id", "decided_at", "organisation__name"],
    )


def test_each_group_gets_its_own_first_rows_in_order(django_assert_num_queries):
    now = timezone.now()
    big, small, empty = ClusterFactory(), ClusterFactory(), ClusterFactory()
    big_members = [ClusterMembershipFactory(cluster=big, decided_at=now - timedelta(days=d)) for d in range(6)]
    small_member = ClusterMembershipFactory(cluster=small, decided_at=now)
    ClusterMembershipFactory(cluster=small, status=ClusterMembership.Status.PENDING, decided_at=None)

    with django_assert_num_queries(1):
        found = _newest_members([big.pk, small.pk, empty.pk], limit=3)

    assert [m.pk for m in found[big.pk]] == [m.pk for m in big_members[:3]]
    assert [m.pk for m in found[small.pk]] == [small_member.pk]
    assert found[empty.pk] == []


def test_one_group_gets_its_first_rows_in_order_narrowed_as_asked(django_assert_num_queries):
    now = timezone.now()
    cluster, other = ClusterFactory(), ClusterFactory()
    members = [ClusterMembershipFactory(cluster=cluster, decided_at=now - timedelta(days=d)) for d in range(4)]
    ClusterMembershipFactory(cluster=other, decided_at=now + timedelta(days=1))
    ClusterMembershipFactory(cluster=cluster, status=ClusterMembership.Status.PENDING, decided_at=None)

    with django_assert_num_queries(1):
        found = _newest_members([cluster.pk], limit=3)
        names = [member.organisation.name for member in found[cluster.pk]]  # read with the rows

    assert list(found) == [cluster.pk]
    assert [m.pk for m in found[cluster.pk]] == [m.pk for m in members[:3]]
    assert names == [m.organisation.name for m in members[:3]]


def test_rows_of_groups_not_asked_for_stay_out():
    asked, other = ClusterFactory(), ClusterFactory()
    ClusterMembershipFactory(cluster=other)

    assert _newest_members([asked.pk], limit=5) == {asked.pk: []}
    assert _newest_members([], limit=5) == {}


def test_child_rows_come_with_the_parents_query_and_read_as_prefetched(django_assert_num_queries):
    from applications.models import PartnerSought, ProjectApplication, TeamMember
    from core.queries import child_rows_attach, with_child_rows
    from tests.factories import ProjectApplicationFactory

    application = ProjectApplicationFactory()
    TeamMember.objects.create(application=application, name="Ji-won Park", organisation="Seoul", role="Lead")
    TeamMember.objects.create(application=application, name="Ana Ruiz", organisation="Bilbao")
    PartnerSought.objects.create(application=application, kind="academia", expertise="Air quality models")

    with django_assert_num_queries(1):
        loaded = with_child_rows(ProjectApplication.objects.all(), "team", "partners_sought").get(pk=application.pk)
        child_rows_attach(loaded, "team", "partners_sought")
        team = [(member.name, member.organisation, member.role) for member in loaded.team.all()]
        partners = [(partner.get_kind_display(), partner.expertise) for partner in loaded.partners_sought.all()]
        assert all(member.application is loaded for member in loaded.team.all())

    assert team == [("Ji-won Park", "Seoul", "Lead"), ("Ana Ruiz", "Bilbao", "")]
    assert partners == [(PartnerSought.Kind.ACADEMIA.label, "Air quality models")]
    # They are the stored rows: changed and saved, they stay two.
    member = loaded.team.all()[1]
    member.role = "Partner city"
    member.save()
    assert list(TeamMember.objects.filter(application=application).values_list("role", flat=True)) == [
        "Lead",
        "Partner city",
    ]
