"""Calls over the public API: what the calls page lists, with moments in UTC and the zone they were set in."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CallFactory, ClusterFactory

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _closed(**fields):
    return CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=40), closes_at=timezone.now() - dt.timedelta(days=1), **fields
    )


def test_open_and_announced_calls_first_to_close_first_then_the_closed_on_asking(api, theme):
    later = CallFactory(title="Closes later", closes_at=timezone.now() + dt.timedelta(days=30), clusters=[theme])
    sooner = CallFactory(title="Closes sooner", kind="solutions", eligible_kinds=["company"])
    announced = CallFactory(
        title="Announced",
        opens_at=timezone.now() + dt.timedelta(days=5),
        closes_at=timezone.now() + dt.timedelta(days=60),
    )
    closed = _closed(title="Closed")

    assert [call["slug"] for call in _results(api.get("/api/v1/calls/"))] == [sooner.slug, later.slug, announced.slug]
    assert [call["slug"] for call in _results(api.get("/api/v1/calls/", {"when": "closed"}))] == [closed.slug]
    assert [call["slug"] for call in _results(api.get("/api/v1/calls/", {"cluster": theme.slug}))] == [later.slug]
    assert [call["slug"] for call in _results(api.get("/api/v1/calls/", {"kind": "solutions"}))] == [sooner.slug]
    assert api.get("/api/v1/calls/", {"when": "tomorrow"}).status_code == 400

    item = api.get(f"/api/v1/calls/{sooner.slug}/").json()
    assert item["status"] == "open" and item["eligible_kinds"] == ["company"] and item["time_zone"] == "Asia/Seoul"
    assert item["closes_at"].endswith("Z") or item["closes_at"].endswith("+00:00")
    assert item["url"].endswith(f"/en/calls/{sooner.slug}/")
    assert api.get(f"/api/v1/calls/{announced.slug}/").json()["status"] == "announced"
    assert api.get("/api/v1/calls/no-such-call/").status_code == 404


@pytest.mark.parametrize("size", [1, 20])
def test_the_list_costs_the_same_queries_whatever_its_length(api, size):
    clusters = ClusterFactory.create_batch(2)
    for _ in range(size):
        CallFactory(clusters=clusters)
    with CaptureQueriesContext(connection) as queries:
        assert len(_results(api.get("/api/v1/calls/"))) == size
    assert len(queries) <= 3  # the page of calls and their clusters (the round joined)
