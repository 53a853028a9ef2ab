"""Until the secretariat verifies an organisation, what it submits and its requests to join wait: recorded, told
to its people, unseen and unheard of by the cluster leaders. Verifying releases all of it at once."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.services import organisation_verify
from applications.models import ApplicationHistory, SolutionHistory
from applications.workflow import Action, Status, submission_transition
from clusters.models import ClusterMembership
from notifications.models import OutboundEmail
from tests.applications.solution_factories import SolutionFactory
from tests.factories import (
    ClusterFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WAITING = "Waiting for the secretariat to verify"


@pytest.fixture
def leaders(db):
    return [UserFactory(full_name="Lea Leader"), UserFactory(full_name="Leo Leader")]


@pytest.fixture
def cluster(leaders):
    return ClusterFactory(name="Smart Governance", leaders=leaders)


@pytest.fixture
def new_city(db):
    return OrganisationFactory(name="Newtown", kind="city", is_verified=False)


@pytest.fixture
def new_official(new_city):
    return OrganisationMembershipFactory(organisation=new_city, role="admin", user__full_name="Nina Official").user


def _leader_emails(leaders, template: str):
    return OutboundEmail.objects.filter(recipient_user__in=leaders, template=template)


def _verify_in_admin(admin_client, organisation: Organisation) -> None:
    response = admin_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302


def _submitted_application(new_city, new_official, cluster, title="Open budget portal"):
    application = ProjectApplicationFactory(organisation=new_city, cluster=cluster, title=title)
    return submission_transition(application, Action.SUBMIT, by=new_official)


def test_submission_of_an_unverified_city_is_recorded_but_not_sent_to_the_leaders(
    client, new_city, new_official, cluster, leaders
):
    application = _submitted_application(new_city, new_official, cluster)

    assert application.status == Status.SUBMITTED
    assert ApplicationHistory.objects.filter(application=application, action=Action.SUBMIT).exists()
    assert not _leader_emails(leaders, "application_submitted").exists()
    client.force_login(leaders[0])
    assert "Open budget portal" not in client.get(reverse("clusters:lead")).content.decode()
    assert client.get(application.get_absolute_url()).status_code == 404


def test_verification_releases_the_application_with_one_email_per_leader(
    admin_client, client, new_city, new_official, cluster, leaders
):
    application = _submitted_application(new_city, new_official, cluster)

    _verify_in_admin(admin_client, new_city)

    emails = _leader_emails(leaders, "application_submitted")
    assert sorted(email.recipient_user_id for email in emails) == sorted(leader.pk for leader in leaders)
    client.force_login(leaders[0])
    assert "Open budget portal" in client.get(reverse("clusters:lead")).content.decode()
    assert client.get(application.get_absolute_url()).status_code == 200


def test_verifying_again_queues_nothing_twice(staff_user, new_city, new_official, cluster, leaders):
    _submitted_application(new_city, new_official, cluster)
    organisation_verify(organisation=new_city, by=staff_user)
    organisation_verify(organisation=new_city, by=staff_user)

    assert _leader_emails(leaders, "application_submitted").count() == len(leaders)


def test_ticking_verified_on_the_change_form_releases_too(admin_client, new_city, new_official, cluster, leaders):
    _submitted_application(new_city, new_official, cluster)
    url = reverse("admin:accounts_organisation_change", args=[new_city.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "country": "KR",
            "is_verified": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "created_by": "",
        }
    )
    data.pop("is_wego_member", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    new_city.refresh_from_db()
    assert new_city.is_verified and new_city.verified_at is not None
    assert _leader_emails(leaders, "application_submitted").count() == len(leaders)


def test_the_applicant_is_told_why_it_waits(client, new_city, new_official, cluster):
    application = _submitted_application(new_city, new_official, cluster)
    client.force_login(new_official)

    page = client.get(application.get_absolute_url()).content.decode()
    mine = client.get(reverse("applications:mine")).content.decode()

    assert f"{WAITING} Newtown; the cluster&#x27;s leaders see it once it is verified, usually within 2" in page
    assert f"{WAITING} Newtown" in mine


def test_the_message_goes_once_the_city_is_verified(client, staff_user, new_city, new_official, cluster):
    application = _submitted_application(new_city, new_official, cluster)
    client.force_login(new_official)
    assert WAITING in client.get(reverse("applications:mine")).content.decode()

    organisation_verify(organisation=new_city, by=staff_user)

    assert WAITING not in client.get(reverse("applications:mine")).content.decode()
    assert WAITING not in client.get(application.get_absolute_url()).content.decode()


def test_submitting_from_the_worksheet_says_it_waits(client, new_city, new_official, cluster, leaders):
    application = ProjectApplicationFactory(organisation=new_city, cluster=cluster)
    client.force_login(new_official)
    edit = client.get(reverse("applications:edit", args=[application.pk]))
    data = _form_data(edit)
    data["submit"] = "1"

    response = client.post(reverse("applications:edit", args=[application.pk]), data, follow=True)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert f"Submitted. {WAITING} Newtown" in response.content.decode()
    assert not _leader_emails(leaders, "application_submitted").exists()


def _form_data(response) -> dict:
    """What the edit page's forms would post back unchanged."""
    data = {}
    for name in ("form", "team", "partners", "kpis"):
        form = response.context[name]
        forms = [form] if not hasattr(form, "forms") else [form.management_form, *form.forms]
        for each in forms:
            for field in each:
                value = field.value()
                if value is None:
                    continue
                data[field.html_name] = value
    return data


def test_solution_of_an_unverified_company_waits_for_verification(
    client, staff_user, cluster, leaders, django_capture_on_commit_callbacks
):
    company = OrganisationFactory(name="Startup Sensors", kind="company", is_verified=False)
    provider = OrganisationMembershipFactory(organisation=company, role="admin").user
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[cluster], name="Leak finder")
    submission_transition(solution, Action.SUBMIT, by=provider)

    assert SolutionHistory.objects.filter(solution=solution).exists()
    assert not _leader_emails(leaders, "solution_submitted").exists()
    client.force_login(leaders[0])
    assert "Leak finder" not in client.get(reverse("clusters:lead")).content.decode()
    assert client.get(solution.get_absolute_url()).status_code == 404
    client.force_login(provider)
    assert f"{WAITING} Startup Sensors" in client.get(solution.get_absolute_url()).content.decode()
    assert f"{WAITING} Startup Sensors" in client.get(reverse("solutions:mine")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the leader page kept before is renewed on commit
        organisation_verify(organisation=company, by=staff_user)

    assert _leader_emails(leaders, "solution_submitted").count() == len(leaders)
    client.force_login(leaders[0])
    assert "Leak finder" in client.get(reverse("clusters:lead")).content.decode()


def test_join_request_of_an_unverified_organisation_waits_for_verification(
    client, staff_user, new_city, new_official, cluster, leaders, django_capture_on_commit_callbacks
):
    client.force_login(new_official)
    response = client.post(
        reverse("clusters:join", args=[cluster.slug]), {"motivation": "We run open data projects."}, follow=True
    )
    assert f"{WAITING} Newtown" in response.content.decode()
    membership = ClusterMembership.objects.get(cluster=cluster, organisation=new_city)
    assert membership.is_pending
    assert f"{WAITING} Newtown" in client.get(cluster.get_absolute_url()).content.decode()
    assert not _leader_emails(leaders, "cluster_join_requested").exists()

    client.force_login(leaders[0])
    assert "Approve Newtown" not in client.get(reverse("clusters:lead")).content.decode()
    decided = client.post(reverse("clusters:decide", args=[membership.pk]), {"decision": "approve"})
    assert decided.status_code == 404
    membership.refresh_from_db()
    assert membership.is_pending

    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):  # the leader page kept before is renewed on commit
        _verify_in_admin(client, new_city)

    assert _leader_emails(leaders, "cluster_join_requested").count() == len(leaders)
    client.force_login(leaders[0])
    assert "Approve Newtown" in client.get(reverse("clusters:lead")).content.decode()


def test_dashboard_lists_organisations_to_verify_first_with_what_they_hold(
    admin_client, new_city, new_official, cluster
):
    _submitted_application(new_city, new_official, cluster, title="One")
    _submitted_application(new_city, new_official, cluster, title="Two")
    ClusterMembership.objects.create(cluster=cluster, organisation=new_city, motivation="Open data.")
    OrganisationFactory(name="Quiet Org", is_verified=False)

    response = admin_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert html.index('id="dashboard-verify"') < html.index('id="dashboard-queues"')
    rows = [
        (o.name, o.held_applications, o.held_solutions, o.held_requests)
        for o in response.context["dashboard"]["organisations_to_verify"]
    ]
    assert rows == [("Newtown", 2, 0, 1), ("Quiet Org", 0, 0, 0)]
