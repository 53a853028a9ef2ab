"""Rows the public API shows, made as the web pages' tests make them."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory
from tests.factories import ClusterFactory, EventFactory, OrganisationFactory, ProjectApplicationFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def theme(db):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", name_ko="스마트 모빌리티", name_fr="Mobilité")


def published_case(cluster, **fields):
    return ProjectApplicationFactory(
        cluster=cluster,
        organisation=fields.pop("organisation", None) or OrganisationFactory(country="KR"),
        status="accepted",
        decided_at=timezone.now(),
        published_at=timezone.now(),
        **fields,
    )


def approved_solution(cluster, **fields):
    solution = ApprovedSolutionFactory(clusters=[cluster], **fields)
    DeploymentFactory(solution=solution, country="FR")
    return solution


def past_event(**fields):
    starts = timezone.now() - dt.timedelta(days=40)
    return EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8), registration_opens_at=None, **fields)
