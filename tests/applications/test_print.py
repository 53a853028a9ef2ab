"""The printable copy of an application or a solution (issue 27): the whole of it on one page with its status,
dates and history, for whoever reads it whole on its own page, in a constant number of queries."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applications.models import ApplicationHistory, SolutionHistory
from tests.applications.files import stored_document
from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.factories import ClusterFactory, IndicatorFactory, ProjectApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _print_url(submission) -> str:
    namespace = "applications" if submission._meta.model_name == "projectapplication" else "solutions"
    return reverse(f"{namespace}:print", args=[submission.pk])


def _submitted(official, cluster, **fields):
    fields = {"status": "submitted", "submitted_at": timezone.now(), **fields}
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, **fields)
    ApplicationHistory.objects.create(
        application=application, actor=official, from_status="draft", to_status="submitted", action="submit"
    )
    return application


def test_the_applicant_prints_the_whole_worksheet_with_status_dates_and_history(client, official, cluster):
    application = _submitted(official, cluster, title="Flood early warning")
    stored_document(application, "worksheet.docx", original_name="Worksheet.docx")
    client.force_login(official)

    page = client.get(application.get_absolute_url()).content.decode()
    assert f'<a class="btn btn-outline-secondary" href="{_print_url(application)}">Printable copy</a>' in page

    response = client.get(_print_url(application))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Flood early warning (printable copy) · WeGO Cluster Portal</title>" in html
    assert '<h1 class="h2 mb-1">Flood early warning</h1>' in html
    assert "<strong>Submitted</strong>" in html  # the status, in words
    for label in ("Started on", "Submitted on", "Last changed on", "Printed on"):
        assert f">{label}</dt>" in html
    assert "Decided on" not in html  # not decided yet
    for part in (
        application.summary,
        application.problem,
        application.approach,
        application.cybersecurity,
        application.privacy,
        application.funding_sources,
        application.contact_email,
        "Electricity used",  # the KPI
        "Worksheet.docx",
    ):
        assert escape(part) in html, part
    assert 'id="history-heading"' in html and "Submit</strong> · Submitted" in html
    assert "use your browser's Print command" in html
    assert "css/print.css" in html


@pytest.mark.parametrize(
    ("reader", "status"),
    [("official", 200), ("leader", 200), ("other_official", 404), ("other_leader", 404), ("company_user", 404)],
)
def test_the_copy_is_for_whoever_reads_the_whole_application(client, request, official, cluster, reader, status):
    application = _submitted(official, cluster)
    person = UserFactory() if reader == "other_leader" else request.getfixturevalue(reader)
    if reader == "other_leader":
        ClusterFactory(leaders=[person])
    client.force_login(person)

    assert client.get(_print_url(application)).status_code == status


def test_staff_print_any_application(client, official, cluster, staff_user):
    client.force_login(staff_user)

    assert client.get(_print_url(_submitted(official, cluster))).status_code == 200


def test_a_published_case_is_printed_only_by_those_who_read_it_whole(client, official, cluster, other_official):
    """Another city reads the public case page, not the worksheet: no printable copy of it, no link to one."""
    case = _submitted(official, cluster, status="accepted", published_at=timezone.now(), decided_at=timezone.now())
    client.force_login(other_official)

    assert client.get(_print_url(case)).status_code == 404
    client.force_login(official)
    html = client.get(_print_url(case)).content.decode()
    assert ">Decided on</dt>" in html and ">Published as a case</dt>" in html


def test_visitors_are_asked_to_sign_in(client, official, cluster):
    response = client.get(_print_url(_submitted(official, cluster)))

    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_copy_of_an_application_costs_the_same_queries_however_long(client, official, cluster):
    client.force_login(official)
    counts = []
    for rows in (1, 30):
        application = _submitted(official, cluster)
        for n in range(rows):
            indicator = IndicatorFactory(name=f"Indicator {n}", unit="t")
            application.kpis.create(indicator=indicator, unit="t", baseline="1", target="2", how_measured="Meters")
            application.team.create(name=f"Member {n}", organisation="City")
            application.partners_sought.create(kind="company", expertise=f"Sensors {n}")
            ApplicationHistory.objects.create(
                application=application, actor=official, from_status="draft", to_status="submitted"
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_print_url(application)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 10, "\n".join(query["sql"][:150] for query in queries.captured_queries)


# --- Solutions: the same view, the same template, another kind ------------------------------------------


def test_the_company_prints_its_solution_with_status_dates_and_history(client, solution, provider):
    SolutionHistory.objects.create(
        solution=solution, actor=provider, from_status="draft", to_status="submitted", action="submit"
    )
    client.force_login(provider)

    page = client.get(solution.get_absolute_url()).content.decode()
    assert f'href="{_print_url(solution)}">Printable copy</a>' in page

    html = client.get(_print_url(solution)).content.decode()
    assert f'<h1 class="h2 mb-1">{solution.name}</h1>' in html
    assert f"<strong>{solution.get_status_display()}</strong>" in html
    assert solution.description in html and ">Started on</dt>" in html
    assert "Submit</strong> · Submitted" in html


def test_an_approved_solution_is_public_but_its_copy_is_not(client, cluster, official):
    """Visitors and cities read the approved solution's page; its status trail and the copy stay the company's."""
    solution = ApprovedSolutionFactory(clusters=[cluster])
    assert "Printable copy" not in client.get(solution.get_absolute_url()).content.decode()
    client.force_login(official)

    assert client.get(_print_url(solution)).status_code == 404
    assert "Printable copy" not in client.get(solution.get_absolute_url()).content.decode()


def test_a_leader_of_the_solution_s_cluster_reads_it_but_gets_no_copy(client, solution, leader):
    solution.status = "submitted"
    solution.submitted_at = timezone.now()
    solution.save()
    client.force_login(leader)

    assert client.get(solution.get_absolute_url()).status_code == 200
    assert client.get(_print_url(solution)).status_code == 404


def test_the_print_rule_is_the_rule_of_the_whole_page():
    """One source of who may print: the rules the pages already use (applications/rules.py)."""
    from applications.kinds import APPLICATION, SOLUTION

    assert APPLICATION.print_rule == "applications.read_whole_projectapplication"
    assert SOLUTION.print_rule == "applications.see_solution_history"
    assert not rules.test_rule(APPLICATION.print_rule, AnonymousUser(), ProjectApplicationFactory())
