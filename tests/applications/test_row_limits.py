"""A tampered row count (the hidden TOTAL_FORMS of a row formset) is refused at once with the formset's
maximum, keeping what the person typed and saving nothing (review issue 21, finding 6)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from applications.admin import DeploymentInline, KpiInline, PartnerSoughtInline, TeamInline
from applications.models import Deployment, ProjectApplication, SolutionRegistration, TeamMember
from tests.factories import ProjectApplicationFactory

from .test_pages import _edit_data

pytestmark = pytest.mark.django_db

TAMPERED = 100_000


def _total_forms_shown(html: str, prefix: str) -> int:
    return int(re.search(rf'name="{prefix}-TOTAL_FORMS" value="(\d+)"', html).group(1))


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("team", "You can add at most 50 team members."),
        ("partners", "You can list at most 20 partners sought."),
        ("kpis", "You can add at most 50 KPIs."),
    ],
)
def test_a_tampered_worksheet_row_count_is_refused_and_keeps_the_answers(client, official, cluster, prefix, says):
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster)
    client.force_login(official)
    data = _edit_data(application, approach="Typed before the count was tampered with")
    data.update(
        {
            "team-TOTAL_FORMS": max(int(data["team-TOTAL_FORMS"]), 1),
            f"{prefix}-TOTAL_FORMS": TAMPERED,
            "team-0-name": "Ana Planner",
            "team-0-organisation": "City of Daejeon",
            "team-0-role": "Project lead",
        }
    )
    response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 400
    assert says in response.text
    assert "Typed before the count was tampered with" in response.text
    assert _total_forms_shown(response.text, prefix) <= 50
    assert 'value="Ana Planner"' in response.text
    application.refresh_from_db()
    assert application.approach != "Typed before the count was tampered with"
    assert not TeamMember.objects.filter(name="Ana Planner").exists()


def test_a_tampered_deployment_count_is_refused_and_keeps_the_answers(client, provider, solution):
    client.force_login(provider)
    data = {
        "name": solution.name,
        "summary": solution.summary,
        "description": "Typed before the count was tampered with.",
        "deployments-TOTAL_FORMS": TAMPERED,
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-city": "Daejeon",
        "deployments-0-country": "KR",
        "deployments-0-year": "2024",
        "save": "",
    }
    response = client.post(reverse("solutions:edit", args=[solution.pk]), data)
    assert response.status_code == 400
    assert "You can list at most 50 deployments." in response.text
    assert "Typed before the count was tampered with." in response.text
    assert _total_forms_shown(response.text, "deployments") == 1
    assert 'value="Daejeon"' in response.text
    assert not Deployment.objects.exists()
    solution.refresh_from_db()
    assert solution.description != "Typed before the count was tampered with."


@pytest.mark.parametrize("inline", [TeamInline, PartnerSoughtInline, KpiInline, DeploymentInline])
def test_the_back_office_row_inlines_build_no_more_rows_than_the_maximum(rf, admin_user, inline):
    request = rf.post("/")
    request.user = admin_user
    parent = SolutionRegistration if inline is DeploymentInline else ProjectApplication
    formset_class = inline(parent, admin.site).get_formset(request)
    prefix = formset_class.get_default_prefix()
    formset = formset_class({f"{prefix}-TOTAL_FORMS": TAMPERED, f"{prefix}-INITIAL_FORMS": 0}, prefix=prefix)
    assert not formset.is_valid()
    assert len(formset.forms) == formset_class.max_num
    assert "at most" in " ".join(formset.non_form_errors())
