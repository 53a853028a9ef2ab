"""Two people (or two tabs) acting on one submission at the same moment, against the real PostgreSQL.

Each race is forced, not hoped for: the first request runs in the test's own connection inside a transaction held
open, the second in a thread with its own connection; the first commits only once PostgreSQL shows the second
waiting for the row's lock (pg_blocking_pids). So the second always reads the row before the first commits and
writes after it, the interleaving that gave a double submission and drafts whose history says "withdrawn".
"""

import threading

import pytest
from django.db import connection, transaction
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

from .test_pages import _edit_data

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 30


class SecondRequest(threading.Thread):
    """Sends one request as `user` from its own thread, so from its own database connection."""

    def __init__(self, user, url: str, data: dict):
        super().__init__()
        self.user, self.url, self.data = user, url, data
        self.pid = None
        self.response = None
        self.error = None
        self.connected = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            client = Client()
            client.force_login(self.user)
            self.connected.set()
            self.response = client.post(self.url, self.data)
        except Exception as error:  # reported by the test: it must see every failure
            self.error = error
        finally:
            self.connected.set()
            connection.close()


def _waits_for_a_lock(pid: int) -> bool:
    """Asked from the test's own connection: PostgreSQL's lock table, live even inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


def race(first, second: SecondRequest):
    """Run `first()` in a transaction held open until `second` waits for a lock it holds; return first's result."""
    with transaction.atomic():
        result = first()
        second.start()
        assert second.connected.wait(WAIT_SECONDS)
        while second.is_alive() and not _waits_for_a_lock(second.pid):
            second.join(timeout=0.01)  # the second request reaches the row; it cannot pass it before we commit
        assert second.is_alive(), "the second request did not wait for the first one's lock"
    second.join(timeout=WAIT_SECONDS)
    assert not second.is_alive() and second.error is None, second.error
    return result


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
