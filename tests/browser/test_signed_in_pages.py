"""Every page a signed-in person reaches (official, company, leader, someone without an organisation) and the
back office's pages pass axe and the Nu HTML checker; the main ones fit a phone. The journeys cover the
pages reached through actions; this covers the pages people open from menus and links."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from tests.applications.solution_factories import SolutionFactory
from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import sign_in, sign_in_with_code
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    SubmittedApplicationFactory,
    ThemeSuggestionFactory,
    UserFactory,
)


@pytest.fixture
def people(db):
    leader = UserFactory(email="leader@example.org", full_name="Javier Ortega")
    cluster = ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])
    official = OrganisationMembershipFactory(
        user__email="official@example.org", organisation__name="Quezon City Government", role="admin"
    ).user
    ClusterMembershipFactory(cluster=cluster, organisation=official.organisation)
    ClusterMembershipFactory(cluster=cluster, status="pending", decided_at=None)
    draft = ProjectApplicationFactory(title="Open budget portal", organisation=official.organisation, cluster=cluster)
    SubmittedApplicationFactory(title="Flood early warning", organisation=official.organisation, cluster=cluster)
    RegistrationFactory(user=official, event=EventFactory(name="Smart Governance Workshop", related_clusters=[cluster]))
    ThemeSuggestionFactory(suggested_by=official)
    provider = OrganisationMembershipFactory(
        user__email="provider@example.org", organisation__name="Urban Sensors Ltd", organisation__kind="company"
    ).user
    solution = SolutionFactory(
        name="Signal priority for buses", organisation=provider.organisation, created_by=provider, clusters=[cluster]
    )
    newcomer = UserFactory(email="newcomer@example.org")
    return {
        "leader": leader,
        "official": official,
        "provider": provider,
        "newcomer": newcomer,
        "cluster": cluster,
        "draft": draft,
        "solution": solution,
    }


def test_official_pages(page, people, check_page, screenshot):
    sign_in(page, people["official"].email)
    pages = {
        "profile": reverse("accounts:profile"),
        "account-email": reverse("account_email"),
        "account-password": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        "two-factor-activate": reverse("mfa_activate_totp"),
        "organisation": reverse("accounts:organisation"),
        "organisation-edit": reverse("accounts:organisation_edit"),
        "api-tokens": reverse("tokens:list"),
        "account-delete": reverse("accounts:account_delete"),
        "theme-suggest": reverse("clusters:suggest"),
        "my-applications-list": reverse("applications:mine"),
        "application-start": reverse("applications:new"),
        "application-draft-edit": reverse("applications:edit", args=[people["draft"].pk]),
        "application-draft": people["draft"].get_absolute_url(),
        "my-events-list": reverse("events:mine"),
        "cluster-events": reverse("events:cluster", args=[people["cluster"].slug]),
        "cluster-as-member": people["cluster"].get_absolute_url(),
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(f"official-{name}")
        screenshot(f"official-{name}", phone=True)


def test_company_leader_and_newcomer_pages(page, people, check_page, screenshot):
    solution = people["solution"]
    visits = {
        "provider": {
            "my-solutions": reverse("solutions:mine"),
            "solution-start": reverse("solutions:new"),
            "solution-draft-edit": reverse("solutions:edit", args=[solution.pk]),
            "solution-draft": solution.get_absolute_url(),
        },
        "leader": {"leader-page": reverse("clusters:lead")},
        "newcomer": {
            "organisation-start": reverse("accounts:organisation_start"),
            "organisation-join": reverse("accounts:organisation_join"),
            "organisation-new": reverse("accounts:organisation_create"),
        },
    }
    for person, pages in visits.items():
        sign_in(page, people[person].email)
        for name, url in pages.items():
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check_page(f"{person}-{name}")
            screenshot(f"{person}-{name}", phone=True)


def test_back_office_pages(page, people, check_page, screenshot, settings):
    """The dashboard, every model's list and one row's change page, with the narrow Django admin tolerance."""
    settings.MFA_TOTP_TOLERANCE = 1  # a code typed as the 30-second step turns is still accepted
    secret = generate_totp_secret()
    staff = UserFactory(email="secretariat@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(staff, secret)
    sign_in_with_code(page, staff.email, secret)
    page.goto(reverse("admin:index"))
    check_page("admin-index", tolerate=DJANGO_ADMIN)
    screenshot("admin-index", phone=True)
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        page.goto(reverse("admin:{}_{}_changelist".format(*info)))
        check_page("admin-{}-{}-list".format(*info), tolerate=DJANGO_ADMIN)
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            page.goto(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
            check_page("admin-{}-{}-change".format(*info), tolerate=DJANGO_ADMIN)
