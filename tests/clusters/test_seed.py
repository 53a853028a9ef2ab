"""The demo data gives the leader page something to approve, and stays put when seeded again."""

from io import StringIO

import pytest
from django.core.management import call_command

from clusters.models import Cluster, ClusterMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_demo_leader_leads_two_clusters_with_a_member_and_a_request_waiting(seeded):
    leader_clusters = Cluster.objects.filter(leaders__email="leader@demo.wego.example")
    governance = Cluster.objects.get(slug="smart-governance")

    assert sorted(leader_clusters.values_list("slug", flat=True)) == ["digital-government-platform", "smart-governance"]
    assert governance.memberships.get(status="active").organisation.kind == "city"
    assert governance.memberships.get(status="pending").requested_by.email == "company@demo.wego.example"
    assert governance.discussion_url.startswith("https://groups.google.com/g/")


def test_demo_adds_gctc_action_clusters_under_a_supercluster(seeded):
    supercluster = Cluster.objects.get(kind=Cluster.Kind.SUPER)

    assert supercluster.action_clusters.count() == 2


def test_seeding_the_demo_again_adds_nothing(seeded):
    counts = (Cluster.objects.count(), ClusterMembership.objects.count())

    call_command("seed_demo", stdout=StringIO())

    assert (Cluster.objects.count(), ClusterMembership.objects.count()) == counts


@pytest.mark.parametrize("language", ["ko", "es", "fr"])
def test_demo_gctc_clusters_and_events_have_their_texts_in_the_language(seeded, language):
    from events.models import Event

    gctc = Cluster.objects.filter(slug__startswith="demo-gctc-")
    assert gctc.count() == 3
    for cluster in gctc:
        for field in ("name", "summary", "description"):
            assert getattr(cluster, f"{field}_{language}"), (cluster.slug, field)
        assert cluster.summary_en != getattr(cluster, f"summary_{language}")
    for event in Event.objects.filter(slug__startswith="demo-"):
        assert getattr(event, f"name_{language}") and getattr(event, f"description_{language}"), event.slug
