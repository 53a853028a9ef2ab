import pytest
from django.urls import reverse

from clusters.seed import seed_clusters
from events.seed import seed_events
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_home_shows_live_figures_counted_from_the_database(client):
    OrganisationFactory.create_batch(3, kind="city")
    OrganisationFactory.create_batch(2, kind="company")
    OrganisationFactory(kind="academia")
    seed_clusters()

    page = client.get(reverse("home"))

    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures["cities"] == 3
    assert figures["companies"] == 2
    assert figures["other_organisations"] == 1
    assert figures["clusters"] == 5
    assert figures["action_clusters"] == 0


def test_home_lists_the_thematic_clusters_and_marks_forming_ones(client):
    seed_clusters()

    html = client.get(reverse("home")).content.decode()

    assert "Living Labs for Open Innovation" in html
    assert "Smart Utility &amp; Waste Management" in html
    assert "Forming, launching soon" in html


def test_past_events_are_not_counted_as_upcoming(client):
    seed_events()

    assert client.get(reverse("home")).context["figures"]["upcoming_events"] == 0


@pytest.mark.parametrize("organisations", [1, 100])
def test_home_query_count_does_not_grow_with_organisations(client, django_assert_max_num_queries, organisations):
    OrganisationFactory.create_batch(organisations)
    seed_clusters()
    seed_events()
    # organisation figures, cluster figures, thematic clusters, upcoming count, next events
    with django_assert_max_num_queries(5):
        client.get(reverse("home"))
