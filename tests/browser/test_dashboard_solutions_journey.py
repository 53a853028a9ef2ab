"""In Korean: the secretariat's dashboard lists the solutions waiting for it beside the applications, counts them
per status and per cluster, and leads to each one."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.applications.solution_factories import SolutionFactory
from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import sign_in_as_staff, switch_language
from tests.browser.words import translated
from tests.factories import ClusterFactory, SubmittedApplicationFactory, UserFactory


def ko(english: str) -> str:
    return translated("ko", english)


def test_staff_find_the_oldest_waiting_solution_on_the_dashboard_in_korean(page, check_page, screenshot):
    governance = ClusterFactory(name="Smart Governance", name_ko="스마트 거버넌스", leaders=[UserFactory()])
    now = timezone.now()
    SolutionFactory(
        name="Participatory budgeting platform",
        organisation__name="Civic Tech Seoul",
        clusters=[governance],
        status="submitted",
        submitted_at=now - dt.timedelta(days=9),
    )
    SolutionFactory(name="Newer sensor", clusters=[governance], status="submitted", submitted_at=now)
    SubmittedApplicationFactory(title="Open budget portal", cluster=governance)
    staff = UserFactory(email="reviewer@we-gov.example", is_staff=True, is_superuser=True)

    sign_in_as_staff(page, staff)
    switch_language(page, "ko")
    page.goto(reverse("admin:index"))

    solutions = page.get_by_role("table", name=ko("Oldest solutions waiting"))
    expect(solutions.get_by_role("row").nth(1)).to_contain_text("Participatory budgeting platform")
    expect(solutions).to_contain_text("Civic Tech Seoul")
    expect(solutions).to_contain_text("스마트 거버넌스")
    expect(page.get_by_role("table", name=ko("Oldest applications waiting"))).to_contain_text("Open budget portal")
    per_cluster = page.get_by_role("table", name=ko("Waiting per cluster"))
    expect(per_cluster.get_by_role("row", name=re.compile("스마트 거버넌스"))).to_contain_text("2")
    check_page("admin-dashboard-solutions-ko", tolerate=DJANGO_ADMIN)
    screenshot("take-backoffice-dashboard-ko", phone=True)

    queues = page.get_by_role("table", name=ko("Waiting for the secretariat"))
    submitted = ko("Company solutions: %(status)s").replace("%(status)s", ko("Submitted"))
    queues.get_by_role("link", name=submitted).click()
    expect(page).to_have_url(re.compile(r"/solutionregistration/\?status__exact=submitted"))
    expect(page.get_by_role("link", name="Participatory budgeting platform")).to_be_visible()
    expect(page.get_by_role("link", name="Newer sensor")).to_be_visible()
    check_page("admin-solutions-submitted-ko", tolerate=DJANGO_ADMIN)

    page.go_back()
    solutions.get_by_role("link", name="Participatory budgeting platform").click()
    expect(page).to_have_url(re.compile(r"/solutionregistration/\d+/change/"))
    expect(page.get_by_role("button", name=ko("Start review"))).to_be_visible()
