"""Two people (or two tabs) acting on one submission at the same moment, against the real PostgreSQL.

Each race is forced, not hoped for (tests/races.py): the second request always reads the row before the first
commits and writes after it, the interleaving that gave a double submission and drafts whose history says
"withdrawn".
"""

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import ApplicationHistory, ProjectApplication, SolutionRegistration
from applications.workflow import Action, Status
from notifications.models import OutboundEmail
from tests.applications.solution_factories import SolutionFactory
from tests.factories import (
    ClusterFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)
from tests.races import SecondRequest, race

from .test_pages import _edit_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def official():
    return OrganisationMembershipFactory(organisation=OrganisationFactory(kind="city"), role="admin").user


@pytest.fixture
def cluster():
    return ClusterFactory(leaders=[UserFactory()])


@pytest.fixture
def application(official, cluster):
    """A complete draft, ready to submit."""
    return ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)


def test_two_simultaneous_submits_submit_once_and_tell_the_leader_once(official, application):
    url = reverse("applications:edit", args=[application.pk])
    first = Client()
    first.force_login(official)
    second = SecondRequest(official, url, _edit_data(application, title="Smart bins, from the second tab", submit="1"))

    first_response = race(lambda: first.post(url, _edit_data(application, submit="1")), second)

    assert first_response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert list(application.history.values_list("action", flat=True)) == [Action.SUBMIT]
    assert OutboundEmail.objects.filter(template="application_submitted").count() == 1
    # The second tab is told, and keeps what was typed in it; the row keeps the submitted text.
    assert second.response.status_code == 409
    assert "Your changes were not saved" in second.response.text
    assert "Smart bins, from the second tab" in second.response.text
    assert application.title != "Smart bins, from the second tab"


def test_a_save_racing_a_withdrawal_leaves_it_withdrawn_with_a_consistent_history(official, application):
    edit_url = reverse("applications:edit", args=[application.pk])
    withdrawing = Client()
    withdrawing.force_login(official)
    saving = SecondRequest(official, edit_url, _edit_data(application, summary="Typed while a colleague withdrew."))

    race(
        lambda: withdrawing.post(reverse("applications:transition", args=[application.pk]), {"action": "withdraw"}),
        saving,
    )

    application = ProjectApplication.objects.get(pk=application.pk)
    history = list(ApplicationHistory.objects.filter(application=application).values_list("to_status", flat=True))
    assert (application.status, history) == (Status.WITHDRAWN, [Status.WITHDRAWN])
    assert application.summary != "Typed while a colleague withdrew."
    assert saving.response.status_code == 409
    assert "now “Withdrawn”" in saving.response.text
    assert "Typed while a colleague withdrew." in saving.response.text


def test_a_solution_save_racing_its_withdrawal_leaves_it_withdrawn(cluster):
    provider = OrganisationMembershipFactory(organisation=OrganisationFactory(kind="company"), role="admin").user
    solution = SolutionFactory(organisation=provider.organisation, created_by=provider, clusters=[cluster])
    data = {
        "name": solution.name,
        "summary": "Typed while a colleague withdrew.",
        "description": solution.description,
        "clusters": [cluster.pk],
        "offering": solution.offering,
        "maturity": solution.maturity,
        "standards": solution.standards,
        "website": solution.website,
        "deployments-TOTAL_FORMS": "0",
        "deployments-INITIAL_FORMS": "0",
    }
    withdrawing = Client()
    withdrawing.force_login(provider)
    saving = SecondRequest(provider, reverse("solutions:edit", args=[solution.pk]), data)

    race(lambda: withdrawing.post(reverse("solutions:transition", args=[solution.pk]), {"action": "withdraw"}), saving)

    solution = SolutionRegistration.objects.get(pk=solution.pk)
    assert (solution.status, list(solution.history.values_list("to_status", flat=True))) == (
        Status.WITHDRAWN,
        [Status.WITHDRAWN],
    )
    assert solution.summary != "Typed while a colleague withdrew."
    assert saving.response.status_code == 409
    assert "Typed while a colleague withdrew." in saving.response.text
