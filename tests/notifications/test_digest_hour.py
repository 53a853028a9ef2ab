"""A leader's daily digest comes at the hour they chose, in their own time zone, once a day, across clock changes."""

import datetime as dt

import pytest

from clusters import services as cluster_services
from notifications import services
from notifications.models import OutboundEmail
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _held(user, organisation_name, *, at: dt.datetime):
    """An organisation asks to join a cluster `user` leads with a daily digest at `at`: the leader's e-mail is
    held."""
    cluster = user.led_clusters.first() or ClusterFactory(leaders=[user])
    cluster_services.cluster_email_preference_set(user=user, cluster=cluster, frequency="daily")
    admin = OrganisationMembershipFactory(role="admin", organisation__name=organisation_name).user
    cluster_services.cluster_membership_request(
        cluster=cluster, organisation=admin.organisation, by=admin, motivation="We run an ongoing project."
    )
    held = OutboundEmail.objects.filter(recipient_user=user, status="held").latest("pk")
    OutboundEmail.objects.filter(pk=held.pk).update(created_at=at)
    return held


def _hourly(start: dt.datetime, hours: int) -> dict[int, dt.datetime]:
    """Run the hourly task from `start` for `hours` hours; when each recipient's digest was queued (UTC)."""
    sent = {}
    for hour in range(hours):
        now = start + dt.timedelta(hours=hour)
        before = set(OutboundEmail.objects.filter(template="leader_digest").values_list("pk", flat=True))
        services.digests_send(now=now)
        for digest in OutboundEmail.objects.filter(template="leader_digest").exclude(pk__in=before):
            sent[digest.recipient_user_id] = now
    return sent


def test_two_leaders_in_different_zones_get_their_digest_at_eight_their_time():
    seoul = UserFactory(time_zone="Asia/Seoul", digest_hour=8)
    lyon = UserFactory(time_zone="Europe/Paris", digest_hour=8)
    _held(seoul, "City of Daejeon", at=dt.datetime(2026, 6, 1, 0, tzinfo=UTC))
    _held(lyon, "City of Lyon", at=dt.datetime(2026, 6, 1, 0, tzinfo=UTC))

    sent = _hourly(dt.datetime(2026, 6, 1, 0, tzinfo=UTC), 24)

    assert sent[seoul.pk] == dt.datetime(2026, 6, 1, 23, tzinfo=UTC)  # 08:00 on 2 June in Seoul (UTC+9)
    assert sent[lyon.pk] == dt.datetime(2026, 6, 1, 6, tzinfo=UTC)  # 08:00 in Paris, summer time (UTC+2)


def test_the_digest_keeps_the_local_hour_across_the_clock_change():
    leader = UserFactory(time_zone="America/New_York", digest_hour=8)

    _held(leader, "City of Daejeon", at=dt.datetime(2026, 3, 7, 1, tzinfo=UTC))  # 20:00 on 6 March in New York
    before = _hourly(dt.datetime(2026, 3, 7, 0, tzinfo=UTC), 24)
    _held(leader, "City of Quezon", at=dt.datetime(2026, 3, 8, 1, tzinfo=UTC))
    after = _hourly(dt.datetime(2026, 3, 8, 0, tzinfo=UTC), 24)  # clocks go forward at 02:00 on 8 March

    assert before[leader.pk] == dt.datetime(2026, 3, 7, 13, tzinfo=UTC)  # 08:00 EST (UTC-5)
    assert after[leader.pk] == dt.datetime(2026, 3, 8, 12, tzinfo=UTC)  # 08:00 EDT (UTC-4)


def test_one_digest_a_day_whatever_the_scheduler_does_and_later_news_waits_for_tomorrow():
    leader = UserFactory(time_zone="Asia/Seoul", digest_hour=8)
    at_eight = dt.datetime(2026, 6, 1, 23, tzinfo=UTC)
    _held(leader, "City of Daejeon", at=at_eight - dt.timedelta(hours=5))

    assert services.digests_send(now=at_eight) == 1
    assert services.digests_send(now=at_eight) == 0  # the scheduler fired twice
    later = _held(leader, "City of Quezon", at=at_eight + dt.timedelta(minutes=30))
    assert services.digests_send(now=at_eight + dt.timedelta(hours=3)) == 0
    later.refresh_from_db()
    assert later.status == "held"
    assert services.digests_send(now=at_eight + dt.timedelta(days=1)) == 1


def test_a_digest_hour_missed_by_the_scheduler_is_made_up_the_same_day():
    leader = UserFactory(time_zone="Europe/Paris", digest_hour=8)
    _held(leader, "City of Lyon", at=dt.datetime(2026, 5, 31, 20, tzinfo=UTC))

    assert services.digests_send(now=dt.datetime(2026, 6, 1, 5, tzinfo=UTC)) == 0  # 07:00 in Paris
    assert services.digests_send(now=dt.datetime(2026, 6, 1, 9, tzinfo=UTC)) == 1  # 11:00: 08:00 was missed
