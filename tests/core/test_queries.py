"""core.queries.first_per_group_by_id: each group's first rows, in order, in one query whatever the groups."""

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


def test_rows_of_groups_not_asked_for_stay_out():
    asked, other = ClusterFactory(), ClusterFactory()
    ClusterMembershipFactory(cluster=other)

    assert _newest_members([asked.pk], limit=5) == {asked.pk: []}
    assert _newest_members([], limit=5) == {}
