"""A visitor, not signed in, browses clusters, best-practice cases, solutions and events by following links,
and opens the account pages; every public page passes axe and the Nu HTML checker and fits a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.applications.solution_factories import ApprovedSolutionFactory, DeploymentFactory
from tests.browser.helpers import switch_language
from tests.factories import ClusterFactory, EventFactory, OrganisationFactory, ProjectApplicationFactory


@pytest.fixture
def programme(db):
    governance = ClusterFactory(name="Smart Governance", slug="smart-governance")
    ClusterFactory(name="Smart Mobility", slug="smart-mobility", status="forming")
    ProjectApplicationFactory(
        title="Open budget portal",
        organisation=OrganisationFactory(name="Quezon City Government", country="PH"),
        cluster=governance,
        status="accepted",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        published_at=timezone.now(),
    )
    solution = ApprovedSolutionFactory(name="Participatory budgeting platform", clusters=[governance])
    DeploymentFactory(solution=solution)
    EventFactory(name="Seoul-WeGO Global Digital Summit", slug="digital-summit", related_clusters=[governance])
    last_year = timezone.now() - dt.timedelta(days=365)
    EventFactory(name="GCTC Tech Jam", slug="tech-jam", starts_at=last_year, ends_at=last_year + dt.timedelta(hours=8))


# The journey finds links by their English names; tests/browser/test_language_journey.py walks in Korean.
@pytest.mark.parametrize("language", ["en"])
def test_visitor_browses_every_public_page(page, programme, check_page, screenshot, language):
    page.goto(reverse("home"))
    switch_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page("home")
    screenshot("public-home", phone=True)

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Clusters", exact=True).click()
    expect(page.get_by_role("heading", name="Clusters", level=1)).to_be_visible()
    check_page("cluster-catalogue")
    screenshot("public-cluster-catalogue", phone=True)
    page.get_by_role("link", name="Smart Governance").first.click()
    expect(page.get_by_role("heading", name="Smart Governance", level=1)).to_be_visible()
    check_page("cluster")
    screenshot("public-cluster", phone=True)

    page.get_by_role("link", name="Best practices").click()
    expect(page.get_by_role("link", name="Open budget portal")).to_be_visible()
    check_page("case-library")
    screenshot("public-case-library", phone=True)
    page.get_by_role("link", name="Open budget portal").click()
    expect(page.get_by_role("heading", name="Open budget portal", level=1)).to_be_visible()
    check_page("case")
    screenshot("public-case", phone=True)

    page.get_by_role("link", name="Solutions", exact=True).click()
    page.get_by_role("link", name="Participatory budgeting platform").click()
    expect(page.get_by_role("heading", name="Participatory budgeting platform", level=1)).to_be_visible()
    check_page("solution")
    screenshot("public-solution", phone=True)
    page.go_back()
    check_page("solution-directory")
    screenshot("public-solution-directory", phone=True)

    page.get_by_role("link", name="Events", exact=True).click()
    expect(page.get_by_role("heading", name="Upcoming events", level=1)).to_be_visible()
    check_page("events-upcoming")
    screenshot("public-events-upcoming", phone=True)
    page.get_by_role("link", name="Seoul-WeGO Global Digital Summit").click()
    expect(page.get_by_role("heading", name="Seoul-WeGO Global Digital Summit", level=1)).to_be_visible()
    check_page("event")
    screenshot("public-event", phone=True)
    page.goto(reverse("events:past"))
    expect(page.get_by_role("link", name="GCTC Tech Jam")).to_be_visible()
    check_page("events-past")
    screenshot("public-events-past", phone=True)

    page.get_by_role("link", name="Sign in", exact=True).first.click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    check_page("sign-in")
    screenshot("public-sign-in", phone=True)
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The e-mail address or the password is not correct.")).to_be_visible()
    check_page("sign-in-refused")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("button", name="Send me the link")).to_be_visible()
    check_page("password-reset")
    screenshot("public-password-reset", phone=True)
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    check_page("password-reset-sent")
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    check_page("sign-up")
    screenshot("public-sign-up", phone=True)
    page.get_by_label("E-mail address").fill("ana.reyes@quezoncity.example")
    page.get_by_label("Full name").fill("Ana Reyes")
    page.get_by_label("Password*", exact=True).fill("Smart-city-2026!")
    page.get_by_label("Password (again)").fill("Smart-city-2027!")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    check_page("sign-up-refused")
    screenshot("public-sign-up-refused", phone=True)
