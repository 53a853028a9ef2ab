"""The demo data offers an approved solution that the demo city's governance projects match."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from applications import matching
from applications.models import SolutionRegistration
from clusters.models import Cluster
from tests.factories import SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_approved_solution_of_the_demo_company_even_when_run_twice(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    solution = SolutionRegistration.objects.get()
    company_user = User.objects.get(email="company@demo.wego.example")
    assert (solution.organisation, solution.created_by, solution.status) == (
        company_user.organisation,
        company_user,
        "accepted",
    )
    assert solution.history.count() == 3 and solution.deployments.count() == 2
    assert solution.name in client.get(reverse("solutions:directory")).content.decode()


def test_the_demo_solution_matches_a_participatory_budgeting_project(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    application = SubmittedApplicationFactory(
        cluster=Cluster.objects.get(slug="smart-governance"),
        title="Participatory budgeting by mobile phone",
        problem="Few residents attend the neighbourhood assemblies where budget priorities are chosen.",
        approach="A mobile voting app with identity verification and open results.",
    )
    [match] = matching.solutions_for_application(application)
    assert match.solution.name == "Civic Dashboard Kit"
    assert "Smart Governance" in match.reason and "“budgeting”" in match.reason
